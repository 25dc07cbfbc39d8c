package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.local.junit.SluiceStackTest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@SluiceStackTest(services = Service.S3)
class S3IT {
  @Test
  void putsGetsAndListsObjectsInTheDefaultBucket(LocalStack stack) {
    String bucket = stack.config().get(Settings.S3_BUCKET);
    try (S3Client s3 = S3TestClients.client(stack)) {
      s3.putObject(b -> b.bucket(bucket).key("it/a.json"), RequestBody.fromString("{\"a\":1}"));
      s3.putObject(b -> b.bucket(bucket).key("it/b.json"), RequestBody.fromString("{\"b\":2}"));

      String a = s3.getObjectAsBytes(b -> b.bucket(bucket).key("it/a.json")).asUtf8String();
      var keys =
          s3.listObjectsV2(b -> b.bucket(bucket).prefix("it/")).contents().stream()
              .map(S3Object::key)
              .toList();

      assertThat(a).isEqualTo("{\"a\":1}");
      assertThat(keys).containsExactly("it/a.json", "it/b.json");
    }
  }
}

/** AWS SDK v2 clients for the stack's S3 server: path-style, the configured keys. */
final class S3TestClients {
  private S3TestClients() {}

  static S3Client client(LocalStack stack) {
    var config = stack.config();
    return S3Client.builder()
        .endpointOverride(stack.s3Endpoint())
        .forcePathStyle(true)
        .region(Region.of(config.get(Settings.S3_REGION)))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    config.get(Settings.S3_ACCESS_KEY), config.get(Settings.S3_SECRET_KEY))))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
