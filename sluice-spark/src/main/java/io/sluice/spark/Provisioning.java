package io.sluice.spark;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Creates the topics and the lake bucket a job reads and writes, when they are missing. */
public final class Provisioning {
  private Provisioning() {}

  public static void topics(SluiceConfig config, String... topics) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Endpoints.kafkaBootstrap(config));
    try (Admin admin = Admin.create(p)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (String t : topics) {
        if (!existing.contains(t))
          missing.add(
              new NewTopic(
                      t,
                      config.get(Settings.TOPIC_PARTITIONS),
                      config.get(Settings.TOPIC_REPLICATION).shortValue())
                  .configs(
                      Map.of(
                          "min.insync.replicas",
                          config.get(Settings.TOPIC_MIN_ISR).toString(),
                          "retention.ms",
                          Long.toString(config.get(Settings.TOPIC_RETENTION).toMillis()))));
      }
      if (missing.isEmpty()) return;
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) throw e;
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static void bucket(SluiceConfig config) {
    String bucket = config.get(Settings.S3_BUCKET);
    try (S3Client s3 = s3Client(config)) {
      try {
        s3.headBucket(b -> b.bucket(bucket));
      } catch (NoSuchBucketException e) {
        s3.createBucket(b -> b.bucket(bucket));
      }
    }
  }

  static S3Client s3Client(SluiceConfig config) {
    return S3Client.builder()
        .endpointOverride(URI.create(Endpoints.s3Endpoint(config)))
        .region(Region.of(config.get(Settings.S3_REGION)))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    config.get(Settings.S3_ACCESS_KEY), config.get(Settings.S3_SECRET_KEY))))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }
}
