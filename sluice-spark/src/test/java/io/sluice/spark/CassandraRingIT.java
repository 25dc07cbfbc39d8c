package io.sluice.spark;

import static io.sluice.spark.JobFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.cassandra.CassandraRing;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.JsonRecords;
import io.sluice.spark.launch.SparkJobProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The users job, unchanged, on a 3-node Cassandra ring (127.0.0.1..3) with replication factor 3 and
 * QUORUM writes: one node is killed mid-stream, the job keeps writing, and every user is stored.
 * Run a larger size with {@code -Dsluice.ring.users=20000}.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.S3})
class CassandraRingIT {
  private static final int N = Integer.getInteger("sluice.ring.users", 2_000);

  @Test
  void quorumWritesContinueAndLoseNothingWhenANodeIsKilled(LocalStack stack) throws Exception {
    Path dir = Files.createTempDirectory("sluice-ring-");
    Instant began = Instant.now();
    try (CassandraRing ring =
        CassandraRing.start(
            dir.resolve("cassandra"),
            3,
            "384m",
            "datacenter1",
            Duration.ofMinutes(3),
            line -> System.err.println("ring " + line))) {
      System.err.println("ring of 3 ready in " + Duration.between(began, Instant.now()));
      SluiceConfig config =
          stack
              .config()
              .with(Settings.DATA_DIR, dir.resolve("data").toString())
              .with(Settings.USERS_TOPIC, "ring.users")
              .with(Settings.DLQ_TOPIC, "ring.dlq")
              .with(Settings.USERS_KEYSPACE, "ring_streams")
              .with(Settings.S3_BUCKET, "ring")
              .with(Settings.SPARK_LAKE_TRIGGER, "2s")
              .with(Settings.SPARK_DRIVER_MEMORY, "768m")
              .with(Settings.CASSANDRA_CONTACT_POINTS, ring.contactPoints())
              .with(Settings.CASSANDRA_REPLICATION, "SimpleStrategy:3")
              .with(Settings.CASSANDRA_CONSISTENCY, "QUORUM");
      String table = config.get(Settings.USERS_KEYSPACE) + "." + config.get(Settings.USERS_TABLE);
      TopicProvisioner.ensure(config);
      SparkJobProcess job = SparkJobProcess.start(config, "users", List.of());
      try (CqlSession cql = quorumSession(ring);
          KafkaProducer<byte[], byte[]> producer = producer(stack)) {
        produce(producer, config, 0, N / 2);
        awaitCount(job, cql, table, N / 2, Duration.ofMinutes(3));
        assertThat(replication(cql, config.get(Settings.USERS_KEYSPACE)))
            .containsEntry("replication_factor", "3");

        ring.kill(2);
        produce(producer, config, N / 2, N);
        awaitCount(job, cql, table, N, Duration.ofMinutes(3));
        assertThat(count(cql, table)).isEqualTo(N);
        assertThat(job.isAlive()).isTrue();
      } finally {
        job.stop(Duration.ofSeconds(20));
      }
    }
  }

  private static void awaitCount(
      SparkJobProcess job, CqlSession cql, String table, long expected, Duration timeout) {
    await(
        expected + " users in " + table,
        timeout,
        () -> {
          if (!job.isAlive()) throw new AssertionError("the job died; see " + job.log());
          return JobFixture.quietly(() -> count(cql, table), -1L) >= expected;
        });
  }

  private static long count(CqlSession cql, String table) {
    return cql.execute(
            SimpleStatement.newInstance("SELECT count(*) FROM " + table)
                .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)
                .setTimeout(Duration.ofSeconds(60)))
        .one()
        .getLong(0);
  }

  private static Map<String, String> replication(CqlSession cql, String keyspace) {
    return cql.execute(
            SimpleStatement.newInstance(
                "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
                keyspace))
        .one()
        .getMap("replication", String.class, String.class);
  }

  private static CqlSession quorumSession(CassandraRing ring) {
    return CqlSession.builder()
        .addContactPoints(ring.contactPointList())
        .withLocalDatacenter("datacenter1")
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "QUORUM")
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                .build())
        .build();
  }

  private static KafkaProducer<byte[], byte[]> producer(LocalStack stack) {
    Properties p = new Properties();
    p.put("bootstrap.servers", stack.kafkaBootstrap());
    p.put("acks", "all");
    p.put("linger.ms", "5");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void produce(
      KafkaProducer<byte[], byte[]> producer, SluiceConfig config, int from, int to) {
    String topic = config.get(Settings.USERS_TOPIC);
    for (int i = from; i < to; i++) {
      GenericRecord u = JobFixture.user(i);
      producer.send(
          new ProducerRecord<>(
              topic,
              JobFixture.text(u, "id").getBytes(StandardCharsets.UTF_8),
              JsonRecords.encode(u)));
    }
    producer.flush();
  }
}
