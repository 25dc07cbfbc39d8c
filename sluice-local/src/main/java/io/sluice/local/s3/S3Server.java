package io.sluice.local.s3;

import io.sluice.local.LocalStackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible server (s3proxy) in this JVM, storing buckets as directories under one folder.
 * Clients must use path-style access ({@code forcePathStyle(true)} in the AWS SDK v2).
 */
public final class S3Server implements AutoCloseable {
  /** The s3proxy release embedded here. */
  public static final String VERSION = "4.1.0";

  private final S3Proxy proxy;
  private final URI endpoint;

  private S3Server(S3Proxy proxy, URI endpoint) {
    this.proxy = proxy;
    this.endpoint = endpoint;
  }

  /**
   * Starts on {@code 127.0.0.1:port} with fixed keys and creates {@code bucket} if it is missing.
   */
  public static S3Server start(
      Path dir, int port, String accessKey, String secretKey, String bucket) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the S3 directory " + dir, e);
    }
    BlobStore store = new FilesystemNio2BlobStore(dir.toString());
    if (!store.containerExists(bucket)) store.createContainer(bucket);
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(endpoint)
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .ignoreUnknownHeaders(true)
            .build();
    try {
      proxy.start(); // why: Jetty's start is synchronous; the state is final when it returns
      if (!"STARTED".equals(proxy.getState())) {
        throw new LocalStackException(
            "s3proxy is " + proxy.getState() + " after starting on " + endpoint);
      }
    } catch (LocalStackException e) {
      throw e;
    } catch (Exception e) {
      throw new LocalStackException(
          "cannot start the S3 server on " + endpoint + ": " + e.getMessage(), e);
    }
    return new S3Server(proxy, endpoint);
  }

  /** {@code http://127.0.0.1:port}. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new LocalStackException("cannot stop the S3 server: " + e.getMessage(), e);
    }
  }
}
