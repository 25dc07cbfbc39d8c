package io.sluice.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.sluice.api.DagRunState;
import io.sluice.connectors.hook.KafkaHook;
import io.sluice.core.engine.XComCodec;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.ingest.kafka.Headers;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA})
class UsersAuditIT {
  private static final String USERS = "audit.users";
  private static final String DLQ = "audit.dlq";
  private static final String TABLE = "audit_ks.created_users";

  @Test
  void balancesEachRunAcrossSourceKafkaCassandraAndDeadLettersAndFlagsALostRow(LocalStack stack)
      throws Exception {
    try (JdbcStore store = MetadataDatabases.inMemory();
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
      admin
          .createTopics(List.of(new NewTopic(USERS, 2, (short) 1), new NewTopic(DLQ, 1, (short) 1)))
          .all()
          .get();
      cql.execute(
          "CREATE KEYSPACE IF NOT EXISTS audit_ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      cql.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id text PRIMARY KEY, run_id text)");

      // run a: 4 fetched, 3 published, 1 ingest dead letter; of the 3, one fails validation in the
      // stream job (stream dead letter) and 2 reach Cassandra
      recordIngest(store, "run-a", Instant.parse("2024-01-01T00:00:00Z"), 4, 3, 1);
      RecordMetadata a1 = send(producer, USERS, "a1", "run-a", Map.of());
      send(producer, USERS, "a2", "run-a", Map.of());
      RecordMetadata a3 = send(producer, USERS, "a3", "run-a", Map.of());
      send(producer, DLQ, "bad", "run-a", Map.of(Headers.DLQ_STAGE, "ingest"));
      send(
          producer,
          DLQ,
          "a3",
          null,
          Map.of(
              Headers.DLQ_STAGE,
              "validate",
              Headers.DLQ_SOURCE_TOPIC,
              USERS,
              Headers.DLQ_SOURCE_PARTITION,
              Integer.toString(a3.partition()),
              Headers.DLQ_SOURCE_OFFSET,
              Long.toString(a3.offset())));
      cql.execute("INSERT INTO " + TABLE + " (id, run_id) VALUES ('a1', 'run-a')");
      cql.execute("INSERT INTO " + TABLE + " (id, run_id) VALUES ('a2', 'run-a')");
      // run b: 2 fetched and published, only one row in Cassandra: a lost row
      recordIngest(store, "run-b", Instant.parse("2024-01-02T00:00:00Z"), 2, 2, 0);
      send(producer, USERS, "b1", "run-b", Map.of());
      send(producer, USERS, "b2", "run-b", Map.of());
      cql.execute("INSERT INTO " + TABLE + " (id, run_id) VALUES ('b1', 'run-b')");
      producer.flush();
      assertThat(a1.offset()).isNotNegative();

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
              TABLE);
      List<UsersAudit.Line> lines = audit.run(List.of("user_automation"), null, null);

      assertThat(lines).hasSize(2);
      UsersAudit.Line a = lines.get(0);
      assertThat(a.runId()).isEqualTo("run-a");
      assertThat(List.of(a.source(), a.kafka(), a.dlqIngest(), a.cassandra(), a.dlqStream()))
          .containsExactly(4L, 3L, 1L, 2L, 1L);
      assertThat(a.balanced()).isTrue();
      UsersAudit.Line b = lines.get(1);
      assertThat(List.of(b.source(), b.kafka(), b.cassandra())).containsExactly(2L, 2L, 1L);
      assertThat(b.balanced()).isFalse();

      assertThat(audit.run(List.of("user_automation"), Instant.parse("2024-01-01T12:00:00Z"), null))
          .extracting(UsersAudit.Line::runId)
          .containsExactly("run-b");
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
      String key,
      String runId,
      Map<String, String> headers)
      throws Exception {
    var record = new ProducerRecord<>(topic, bytes(key), bytes("{}"));
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
