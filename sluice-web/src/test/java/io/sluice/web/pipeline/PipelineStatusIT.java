package io.sluice.web.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The pipeline status against real servers: topic offsets, produce rates and consumer lag from the
 * Kafka broker, row counts and freshness from Cassandra, Spark progress from the job's file, and
 * the dead-letter queue browsed and replayed.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA})
class PipelineStatusIT {

  private static KafkaProducer<String, String> producer(LocalStack stack) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** Creates single-partition topics as the product does: the brokers create none on first use. */
  private static void createTopics(LocalStack stack, String... names) {
    TopicProvisioner.ensure(stack.config().with(Settings.TOPIC_PARTITIONS, "1"), names);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> topic(Map<String, Object> snapshot, String name) {
    return ((List<Map<String, Object>>) snapshot.get("topics"))
        .stream()
            .filter(t -> name.equals(t.get("name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no topic " + name + " in " + snapshot));
  }

  @Test
  @SuppressWarnings("unchecked")
  void reportsOffsetsRatesLagRowsFreshnessAndSparkProgress(LocalStack stack) throws Exception {
    Path dataDir = Files.createTempDirectory("pipeline-status");
    SluiceConfig config =
        stack
            .config()
            .with(Settings.DATA_DIR, dataDir.toString())
            .with(Settings.USERS_TOPIC, "it.users");
    createTopics(stack, "it.users");
    try (var p = producer(stack)) {
      for (int i = 0; i < 20; i++) p.send(new ProducerRecord<>("it.users", "k" + i, "v" + i)).get();
    }
    // a consumer group that reads 5 records and commits: lag 15
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-readers");
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5);
    cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (var c = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of("it.users"));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int got = 0;
      while (got == 0 && System.nanoTime() < deadline) got = c.poll(Duration.ofMillis(200)).count();
      assertThat(got).isEqualTo(5);
      c.commitSync();
    }
    // Cassandra: the users table with two rows, the newest fetched 90 s ago
    String ks = config.get(Settings.USERS_KEYSPACE);
    String table = ks + "." + config.get(Settings.USERS_TABLE);
    Instant newest = Instant.now().minusSeconds(90);
    try (CqlSession s =
        CqlSession.builder()
            .addContactPoint(stack.cassandraContactPoint())
            .withLocalDatacenter(config.get(Settings.CASSANDRA_DATACENTER))
            // why: DDL on a busy 2-core machine takes longer than the driver's 2 s default
            .withConfigLoader(
                com.datastax.oss.driver.api.core.config.DriverConfigLoader.programmaticBuilder()
                    .withDuration(
                        com.datastax.oss.driver.api.core.config.DefaultDriverOption.REQUEST_TIMEOUT,
                        Duration.ofSeconds(60))
                    .withDuration(
                        com.datastax.oss.driver.api.core.config.DefaultDriverOption
                            .CONNECTION_INIT_QUERY_TIMEOUT,
                        Duration.ofSeconds(20))
                    .build())
            .build()) {
      s.execute(
          "CREATE KEYSPACE IF NOT EXISTS "
              + ks
              + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      s.execute(
          "CREATE TABLE IF NOT EXISTS " + table + " (id uuid PRIMARY KEY, fetched_at timestamp)");
      s.execute("TRUNCATE " + table);
      s.execute(
          "INSERT INTO " + table + " (id, fetched_at) VALUES (uuid(), ?)",
          newest.minusSeconds(600));
      s.execute("INSERT INTO " + table + " (id, fetched_at) VALUES (uuid(), ?)", newest);
    }
    // the Spark job's progress file, in the shape sluice-spark's ProgressListener writes
    Path progress =
        Files.createDirectories(dataDir.resolve("streams/users")).resolve("progress.json");
    Files.writeString(
        progress,
        """
        {"job":"users","pid":4242,"updated_at":"2024-01-01T00:00:00Z","queries":{"users-to-cassandra":{
          "name":"users-to-cassandra","status":"running","batch_id":7,"num_input_rows":20,
          "input_rows_per_second":12.5,"processed_rows_per_second":40.0,"batch_duration_ms":310,
          "end_offsets":{"KafkaV2[Subscribe[it.users]]":"{\\"it.users\\":{\\"0\\":20}}"},"lag":0}}}
        """,
        StandardCharsets.UTF_8);
    // and its supervisor's health file, in the shape sluice-spark's StreamSupervisor writes
    Files.writeString(
        progress.resolveSibling("health.json"),
        """
        {"job":"users","state":"running","pid":4242,"restarts":3,"next_backoff_ms":8000}
        """,
        StandardCharsets.UTF_8);

    try (PipelineStatus status = new PipelineStatus(config, Clock.systemUTC())) {
      status.refresh();
      Map<String, Object> first = status.snapshot();
      assertThat(((Map<String, Object>) first.get("kafka")).get("status")).isEqualTo("up");
      Map<String, Object> users = topic(first, "it.users");
      assertThat(users.get("end_offset")).isEqualTo(20L);
      assertThat((List<Map<String, Object>>) users.get("consumer_groups"))
          .contains(Map.of("group", "it-readers", "lag", 15L));

      var sinks = (List<Map<String, Object>>) first.get("sinks");
      Map<String, Object> sink =
          sinks.stream().filter(m -> table.equals(m.get("table"))).findFirst().orElseThrow();
      assertThat(sink).containsEntry("status", "up").containsEntry("rows", 2L);
      assertThat((Instant) sink.get("latest"))
          .isEqualTo(newest.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
      assertThat((Long) sink.get("freshness_seconds")).isBetween(89L, 600L);

      var streams = (List<Map<String, Object>>) first.get("streams");
      assertThat(streams)
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q)
                    .containsEntry("job", "users")
                    .containsEntry("batch_id", 7L)
                    .containsEntry("status", "running")
                    .containsEntry("restarts", 3L);
                assertThat(q.get("topics")).isEqualTo(List.of("it.users"));
                assertThat(q.get("processed_rows_per_second")).isEqualTo(40.0);
              });
      try (var metrics =
          new io.sluice.web.metrics.SluiceMetrics(
              new io.sluice.core.testing.InMemoryStore(),
              io.sluice.core.engine.DagBag.of(Clock.systemUTC()),
              null,
              status)) {
        assertThat(metrics.scrape())
            .containsPattern("sluice_spark_job_restarts\\{job=\"users\"\\} 3(\\.0)?\\n");
      }

      try (var p = producer(stack)) {
        for (int i = 0; i < 30; i++)
          p.send(new ProducerRecord<>("it.users", "k" + i, "v" + i)).get();
      }
      status.refresh();
      Map<String, Object> second = topic(status.snapshot(), "it.users");
      assertThat(second.get("end_offset")).isEqualTo(50L);
      assertThat((Double) second.get("rate_per_sec")).isPositive();
      assertThat((List<?>) status.snapshot().get("history")).hasSize(2);
    }
  }

  @Test
  void deadLettersAreBrowsedAndReplayedToTheirSourceTopic(LocalStack stack) throws Exception {
    String dlq = "it.dlq";
    createTopics(stack, dlq, "it.replayed");
    try (var p = producer(stack)) {
      for (int i = 0; i < 3; i++) {
        var r = new ProducerRecord<>(dlq, "key" + i, "{\"bad\":" + i + "}");
        r.headers().add("sluice.stage", "parse".getBytes(StandardCharsets.UTF_8));
        r.headers().add("sluice.error", ("unexpected token " + i).getBytes(StandardCharsets.UTF_8));
        r.headers().add("sluice.source.topic", "it.replayed".getBytes(StandardCharsets.UTF_8));
        p.send(r).get();
      }
    }
    DeadLetters letters = new DeadLetters(stack.kafkaBootstrap(), dlq);
    List<Map<String, Object>> browsed = letters.browse(10);
    assertThat(browsed).hasSize(3);
    assertThat(browsed)
        .allSatisfy(
            m ->
                assertThat(m)
                    .containsEntry("stage", "parse")
                    .containsEntry("source_topic", "it.replayed"));
    assertThat(browsed.stream().map(m -> m.get("error")).toList()).contains("unexpected token 1");

    assertThat(letters.replay(0, 1, 2)).isEqualTo(2);

    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-replay-check");
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var c = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of("it.replayed"));
      List<ConsumerRecord<String, String>> got = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (got.size() < 2 && System.nanoTime() < deadline)
        c.poll(Duration.ofMillis(200)).forEach(got::add);
      assertThat(got)
          .extracting(ConsumerRecord::value)
          .containsExactly("{\"bad\":1}", "{\"bad\":2}");
      assertThat(
              new String(
                  got.get(0).headers().lastHeader("sluice.replayed-from").value(),
                  StandardCharsets.UTF_8))
          .isEqualTo("it.dlq/0/1");
    }
  }
}
