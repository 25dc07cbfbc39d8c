package io.sluice.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.DagRunState;
import io.sluice.cli.TestUsers;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.KafkaHook;
import io.sluice.connectors.hook.S3Hook;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.XComCodec;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.secrets.LocalSecrets;
import io.sluice.ingest.kafka.Headers;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.JsonRecords;
import io.sluice.spark.launch.SparkJobProcess;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The audit against a real pipeline: users and a malformed record in Kafka, the users job run to
 * the end of the topic (Cassandra, the Parquet lake, the dead-letter topic), then the balance per
 * run, with the lake counted as Spark reads it (an uncommitted file in the lake is not counted).
 */
@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class UsersAuditIT {
  private static final String USERS = "audit.users";
  private static final String DLQ = "audit.dlq";
  private static final String KEYSPACE = "audit_streams";

  @Test
  void balancesEachRunAcrossSourceKafkaCassandraParquetAndDeadLettersAndFlagsALostRow(
      LocalStack stack) throws Exception {
    SluiceConfig config =
        stack
            .config()
            .with(Settings.DATA_DIR, Files.createTempDirectory("sluice-audit-").toString())
            // why: the shared stack's metadata server keeps the password of the stack's data dir
            .with(Settings.DB_PASSWORD, LocalSecrets.dbPassword(stack.config()))
            .with(Settings.USERS_TOPIC, USERS)
            .with(Settings.DLQ_TOPIC, DLQ)
            .with(Settings.USERS_KEYSPACE, KEYSPACE)
            .with(Settings.S3_BUCKET, "audit")
            .with(Settings.SPARK_DRIVER_MEMORY, "768m");
    String table = KEYSPACE + "." + config.get(Settings.USERS_TABLE);
    try (JdbcStore store = MetadataDatabases.open(config, 2);
        Admin admin = Admin.create(Map.of("bootstrap.servers", stack.kafkaBootstrap()));
        var producer =
            new KafkaProducer<>(
                producerProps(stack), new ByteArraySerializer(), new ByteArraySerializer());
        CqlSession cql =
            CqlSession.builder()
                .addContactPoint(stack.cassandraContactPoint())
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(
                    DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                        .build())
                .build()) {
      store.migrate();
      admin
          .createTopics(List.of(new NewTopic(USERS, 2, (short) 1), new NewTopic(DLQ, 1, (short) 1)))
          .all()
          .get();

      // run a: 4 fetched, 3 published, 1 ingest dead letter; of the 3, one is malformed (a stream
      // dead letter) and 2 reach Cassandra and the lake
      recordIngest(store, "run-a", Instant.parse("2024-01-01T00:00:00Z"), 4, 3, 1);
      send(producer, USERS, user(1, "run-a"), "run-a", Map.of());
      send(producer, USERS, user(2, "run-a"), "run-a", Map.of());
      send(producer, USERS, "a3", bytes("{not json"), "run-a", Map.of());
      send(producer, DLQ, "bad", bytes("{}"), "run-a", Map.of(Headers.DLQ_STAGE, "ingest"));
      // run b: 2 fetched and published
      recordIngest(store, "run-b", Instant.parse("2024-01-02T00:00:00Z"), 2, 2, 0);
      GenericRecord b1 = user(3, "run-b");
      send(producer, USERS, b1, "run-b", Map.of());
      send(producer, USERS, user(4, "run-b"), "run-b", Map.of());
      producer.flush();

      SparkJobProcess job = SparkJobProcess.start(config, "users", List.of("--available-now"));
      int exit = job.waitFor(Duration.ofMinutes(4));
      assertThat(exit).as("users job exit; its log:%n%s", log(job.log())).isZero();

      // a file the sink never committed (a batch that crashed before its commit) is not counted
      try (S3Client s3 = S3Hook.client(DefaultConnections.of(config).get(DefaultConnections.S3))) {
        var committed =
            s3.listObjectsV2(b -> b.bucket("audit").prefix("lake/users/ingest_date=")).contents();
        assertThat(committed).isNotEmpty();
        String key = committed.get(0).key();
        s3.copyObject(
            b ->
                b.sourceBucket("audit")
                    .sourceKey(key)
                    .destinationBucket("audit")
                    .destinationKey(key.replace("part-", "part-uncommitted-")));
      }

      // the command: the lake counted once in a Spark JVM, a parquet column, every run balanced
      var out = new ByteArrayOutputStream();
      assertThat(command(config, out, "--output", "json")).isZero();
      JsonNode rows = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).get("parquet").asLong()).isEqualTo(2L);
      assertThat(rows.get(1).get("parquet").asLong()).isEqualTo(2L);
      Map<String, Long> lake =
          LakeCountsProcess.read(LakeCountsProcess.resultFile(config, "users"));
      assertThat(lake).containsExactlyInAnyOrderEntriesOf(Map.of("run-a", 2L, "run-b", 2L));

      var audit =
          new UsersAudit(
              store,
              KafkaHook.of(
                  new io.sluice.api.Connection(
                      "k",
                      "kafka",
                      null,
                      null,
                      null,
                      null,
                      null,
                      Map.of("bootstrap.servers", stack.kafkaBootstrap()))),
              cql,
              USERS,
              DLQ,
              table);
      List<UsersAudit.Line> lines = audit.run(List.of("user_automation"), null, null, lake);
      assertThat(lines).hasSize(2);
      UsersAudit.Line a = lines.get(0);
      assertThat(a.runId()).isEqualTo("run-a");
      assertThat(
              List.of(
                  a.source(), a.kafka(), a.dlqIngest(), a.cassandra(), a.parquet(), a.dlqStream()))
          .containsExactly(4L, 3L, 1L, 2L, 2L, 1L);
      assertThat(a.balanced()).isTrue();
      UsersAudit.Line b = lines.get(1);
      assertThat(List.of(b.source(), b.kafka(), b.cassandra(), b.parquet()))
          .containsExactly(2L, 2L, 2L, 2L);
      assertThat(b.balanced()).isTrue();
      assertThat(audit.run(List.of("user_automation"), Instant.parse("2024-01-01T12:00:00Z"), null))
          .extracting(UsersAudit.Line::runId)
          .containsExactly("run-b");
      // a lake missing a row that Cassandra holds is an imbalance
      assertThat(withParquet(a, 1L).balanced()).isFalse();

      // a row that Kafka and the lake hold but Cassandra lost
      cql.execute("DELETE FROM " + table + " WHERE id = " + b1.get("id"));
      UsersAudit.Line lost = audit.run(List.of("user_automation"), null, null, lake).get(1);
      assertThat(List.of(lost.kafka(), lost.cassandra(), lost.parquet()))
          .containsExactly(2L, 1L, 2L);
      assertThat(lost.balanced()).isFalse();

      store.close();
      var noLake = new ByteArrayOutputStream();
      assertThat(command(config, noLake, "--no-lake", "--output", "json")).isEqualTo(1);
      JsonNode withoutLake = new ObjectMapper().readTree(noLake.toString(StandardCharsets.UTF_8));
      assertThat(withoutLake.get(0).get("parquet").asText()).isEqualTo("-");
      assertThat(withoutLake.get(1).get("balance").asText()).isEqualTo("IMBALANCE");
      assertThat(command(config, new ByteArrayOutputStream(), "--no-lake", "--to", "2024-01-01"))
          .isZero();
    }
  }

  private static int command(SluiceConfig config, ByteArrayOutputStream out, String... args) {
    PrintStream stdout = System.out;
    // why: Output.print writes to System.out
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return new CommandLine(new AuditCommand(() -> config))
          .execute(
              Stream.concat(Stream.of("--dag", "user_automation"), Stream.of(args))
                  .toArray(String[]::new));
    } finally {
      System.setOut(stdout);
    }
  }

  private static UsersAudit.Line withParquet(UsersAudit.Line l, Long parquet) {
    return new UsersAudit.Line(
        l.dagId(),
        l.runId(),
        l.logicalDate(),
        l.source(),
        l.kafka(),
        l.dlqIngest(),
        l.cassandra(),
        parquet,
        l.dlqStream(),
        l.endedAt());
  }

  private static GenericRecord user(int i, String runId) {
    return TestUsers.user("audit-user-", i, runId);
  }

  private static String log(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "(no log)";
    }
  }

  private static void recordIngest(
      JdbcStore store, String runId, Instant logical, long fetched, long published, long dlq) {
    store.inTransaction(
        tx -> {
          tx.insertRun(
              new DagRun(
                  "user_automation",
                  runId,
                  logical,
                  logical,
                  logical.plusSeconds(60),
                  DagRunState.SUCCESS,
                  RunType.SCHEDULED,
                  "{}",
                  logical,
                  logical,
                  logical));
          tx.insertTaskInstances(
              List.of(
                  TaskInstance.create(
                      "user_automation", runId, "stream_data_from_api", 3, 1, "default_pool", 1)));
          tx.putXCom(
              "user_automation",
              runId,
              "stream_data_from_api",
              "return_value",
              XComCodec.encode(
                  Map.of("run_id", runId, "fetched", fetched, "published", published, "dlq", dlq)));
          return null;
        });
  }

  private static RecordMetadata send(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      GenericRecord user,
      String runId,
      Map<String, String> headers)
      throws Exception {
    return send(
        producer, topic, user.get("id").toString(), JsonRecords.encode(user), runId, headers);
  }

  private static RecordMetadata send(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      String key,
      byte[] value,
      String runId,
      Map<String, String> headers)
      throws Exception {
    var record = new ProducerRecord<>(topic, bytes(key), value);
    if (runId != null) record.headers().add(Headers.RUN_ID, bytes(runId));
    headers.forEach((k, v) -> record.headers().add(k, bytes(v)));
    return producer.send(record).get();
  }

  private static Properties producerProps(LocalStack stack) {
    Properties p = new Properties();
    p.put("bootstrap.servers", stack.kafkaBootstrap());
    p.put("acks", "all");
    return p;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
