package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.junit.SluiceStackExtension;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Stops a stack and starts it again on the same data directory and ports. */
class RestartIT {
  private static final Set<Service> SERVICES =
      EnumSet.of(Service.KAFKA, Service.CASSANDRA, Service.S3);

  @TempDir Path dataDir;

  @Test
  void restartKeepsKafkaRecordsCassandraRowsAndS3Objects() throws Exception {
    SluiceConfig config = SluiceStackExtension.testConfig(dataDir);
    String bucket = config.get(Settings.S3_BUCKET);

    try (LocalStack stack = LocalStack.start(config, SERVICES)) {
      KafkaTestClients.createTopic(stack.kafkaBootstrap(), "restart");
      try (var producer = KafkaTestClients.producer(stack.kafkaBootstrap())) {
        producer.send(new ProducerRecord<>("restart", "k1", "before-restart-1")).get();
        producer.send(new ProducerRecord<>("restart", "k2", "before-restart-2")).get();
      }
      try (var session = CassandraTestClients.session(stack)) {
        session.execute(
            "CREATE KEYSPACE restart WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE restart.kept (id int PRIMARY KEY, note text)");
        session.execute("INSERT INTO restart.kept (id, note) VALUES (1, 'survives')");
      }
      try (var s3 = S3TestClients.client(stack)) {
        s3.putObject(
            b -> b.bucket(bucket).key("restart/kept.txt"), RequestBody.fromString("survives"));
      }
    }

    try (LocalStack stack = LocalStack.start(config, SERVICES)) {
      assertThat(KafkaTestClients.readAll(stack.kafkaBootstrap(), "restart", 2))
          .containsExactly("before-restart-1", "before-restart-2");
      try (var session = CassandraTestClients.session(stack)) {
        var row = session.execute("SELECT note FROM restart.kept WHERE id = 1").one();
        assertThat(row).isNotNull();
        assertThat(row.getString("note")).isEqualTo("survives");
      }
      try (var s3 = S3TestClients.client(stack)) {
        assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix("restart/")).contents())
            .extracting(S3Object::key)
            .containsExactly("restart/kept.txt");
        assertThat(
                s3.getObjectAsBytes(b -> b.bucket(bucket).key("restart/kept.txt")).asUtf8String())
            .isEqualTo("survives");
      }
    }
  }
}
