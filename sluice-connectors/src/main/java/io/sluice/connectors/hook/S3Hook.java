package io.sluice.connectors.hook;

import io.sluice.api.Connection;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Turns an {@code s3} connection into an {@link S3Client}: {@code endpoint_url} extra for
 * S3-compatible servers (with path-style access), {@code region}, and login/password as the access
 * key pair (the default AWS credential chain when absent).
 */
public final class S3Hook {
  private S3Hook() {}

  public static S3Client client(Connection connection) {
    var builder =
        S3Client.builder()
            .httpClient(UrlConnectionHttpClient.create())
            .region(Region.of(connection.extra("region").orElse("us-east-1")));
    connection
        .extra("endpoint_url")
        .ifPresent(url -> builder.endpointOverride(URI.create(url)).forcePathStyle(true));
    builder.credentialsProvider(
        connection.login() == null
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(connection.login(), connection.password())));
    return builder.build();
  }

  /** The connection's default bucket, from the {@code bucket} extra or the schema. */
  public static String bucket(Connection connection, String override) {
    if (override != null && !override.isBlank()) return override;
    return connection
        .extra("bucket")
        .or(() -> java.util.Optional.ofNullable(connection.schema()))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no bucket given and connection " + connection.connId() + " has none"));
  }
}
