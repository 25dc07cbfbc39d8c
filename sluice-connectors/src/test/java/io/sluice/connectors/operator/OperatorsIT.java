package io.sluice.connectors.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.TaskState;
import io.sluice.connectors.hook.CassandraHook;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.KafkaHook;
import io.sluice.connectors.hook.S3Hook;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3, Service.API_SIMULATOR})
class OperatorsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void kafkaOperatorsProduceAwaitAndConsumeRealMessages(LocalStack stack) throws Exception {
    var kafka = KafkaHook.of(DefaultConnections.of(stack.config()).get(DefaultConnections.KAFKA));
    try (var admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic("ops_events", 1, (short) 1))).all().get();
    }
    String yaml =
        """
        dag_id: kafka_ops
        schedule: null
        start_date: 2024-01-01
        tasks:
          - id: produce
            type: kafka_produce
            topic: ops_events
            messages:
              - {key: "k1", value: "hello world"}
              - {key: "k2", value: "done"}
          - id: await_done
            type: kafka_await_message
            topic: ops_events
            match: "done"
            poke_interval: PT1S
            timeout: PT60S
            depends_on: [produce]
          - id: consume
            type: kafka_consume
            topics: ops_events
            group_id: ops_consumer
            poll_timeout: PT2S
            depends_on: [await_done]
        """;
    try (var runner = new DagRunner(stack.config(), yaml)) {
      Map<String, TaskState> states = runner.run(TIMEOUT);
      assertThat(states)
          .containsEntry("produce", TaskState.SUCCESS)
          .containsEntry("await_done", TaskState.SUCCESS)
          .containsEntry("consume", TaskState.SUCCESS);
      String runId = runner.lastRunId();
      assertThat(runner.xcom(runId, "produce", "return_value", Integer.class)).isEqualTo(2);
      assertThat(runner.xcom(runId, "await_done", "message")).contains("done");
      assertThat(runner.xcom(runId, "consume", "return_value"))
          .contains("\"consumed\":2")
          .contains("hello world");
    }
    // the consumer group's committed offset is the end of the topic
    try (var admin = kafka.admin()) {
      var offsets =
          admin.listConsumerGroupOffsets("ops_consumer").partitionsToOffsetAndMetadata().get();
      assertThat(offsets.values())
          .singleElement()
          .satisfies(o -> assertThat(o.offset()).isEqualTo(2));
    }
  }

  @Test
  void cqlOperatorWritesAndReadsRows(LocalStack stack) throws Exception {
    String yaml =
        """
        dag_id: cql_ops
        schedule: null
        start_date: 2024-01-01
        tasks:
          - id: ddl
            type: cql
            cql:
              - "CREATE KEYSPACE IF NOT EXISTS ops WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
              - "CREATE TABLE IF NOT EXISTS ops.runs (id text PRIMARY KEY, day text)"
          - id: insert
            type: cql
            cql: "INSERT INTO ops.runs (id, day) VALUES ('{{ run_id }}', '{{ ds }}')"
            depends_on: [ddl]
          - id: select
            type: cql
            cql: "SELECT id, day FROM ops.runs"
            depends_on: [insert]
        """;
    try (var runner = new DagRunner(stack.config(), yaml)) {
      assertThat(runner.run(TIMEOUT))
          .containsValues(TaskState.SUCCESS)
          .doesNotContainValue(TaskState.FAILED);
      String runId = runner.lastRunId();
      try (var session =
          CassandraHook.session(
              DefaultConnections.of(stack.config()).get(DefaultConnections.CASSANDRA))) {
        var row = session.execute("SELECT day FROM ops.runs WHERE id = ?", runId).one();
        assertThat(row).isNotNull();
        assertThat(row.getString("day")).matches("\\d{4}-\\d{2}-\\d{2}");
      }
      assertThat(runner.xcom(runId, "select", "return_value")).contains(runId);
    }
  }

  @Test
  void s3OperatorPutsListsGetsAndWaitsForKeys(LocalStack stack) throws Exception {
    String yaml =
        """
        dag_id: s3_ops
        schedule: null
        start_date: 2024-01-01
        tasks:
          - id: put
            type: s3
            action: put
            key: "reports/{{ ds }}/summary.txt"
            content: "run {{ run_id }}"
          - id: wait
            type: s3
            action: wait_for_key
            key: "reports/{{ ds }}/summary.txt"
            poke_interval: PT1S
            timeout: PT30S
            depends_on: [put]
          - id: list
            type: s3
            action: list
            prefix: "reports/"
            depends_on: [wait]
          - id: get
            type: s3
            action: get
            key: "reports/{{ ds }}/summary.txt"
            depends_on: [wait]
        """;
    try (var runner = new DagRunner(stack.config(), yaml)) {
      assertThat(runner.run(TIMEOUT))
          .doesNotContainValue(TaskState.FAILED)
          .containsValue(TaskState.SUCCESS);
      String runId = runner.lastRunId();
      assertThat(runner.xcom(runId, "get", "return_value")).contains("run " + runId);
      assertThat(runner.xcom(runId, "list", "return_value")).contains("summary.txt");
    }
    var s3conn = DefaultConnections.of(stack.config()).get(DefaultConnections.S3);
    try (var s3 = S3Hook.client(s3conn)) {
      List<String> keys = new ArrayList<>();
      s3.listObjectsV2Paginator(b -> b.bucket(S3Hook.bucket(s3conn, null)).prefix("reports/"))
          .contents()
          .forEach(o -> keys.add(o.key()));
      assertThat(keys).singleElement().asString().endsWith("/summary.txt");
      String body =
          s3.getObjectAsBytes(b -> b.bucket(S3Hook.bucket(s3conn, null)).key(keys.get(0)))
              .asString(StandardCharsets.UTF_8);
      assertThat(body).startsWith("run ");
    }
  }

  @Test
  void httpToKafkaIngestsOneIntervalExactlyOnceEvenWhenRunTwice(LocalStack stack) throws Exception {
    String yaml =
        """
        dag_id: users_ops
        schedule: null
        start_date: 2024-01-01
        tasks:
          - id: ingest
            type: http_to_kafka
            source: randomuser
            topic: users_ops
            count: 120
            batch: 50
        """;
    try (var runner = new DagRunner(stack.config(), yaml)) {
      assertThat(runner.run(TIMEOUT)).containsEntry("ingest", TaskState.SUCCESS);
      String runId = runner.lastRunId();
      assertThat(runner.xcom(runId, "ingest", "return_value")).contains("\"published\":120");
      // a second try of the same interval (same seed) resumes after the committed pages
      assertThat(runner.rerun(runId, TIMEOUT)).containsEntry("ingest", TaskState.SUCCESS);
    }
    var kafka = KafkaHook.of(DefaultConnections.of(stack.config()).get(DefaultConnections.KAFKA));
    List<String> ids = new ArrayList<>();
    try (var consumer = kafka.consumer(null)) {
      var partitions =
          consumer.partitionsFor("users_ops").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      var end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(r -> ids.add(new String(r.key(), StandardCharsets.UTF_8)));
      }
    }
    assertThat(ids).hasSize(120).doesNotHaveDuplicates();
  }

  @Test
  void sensorTimesOutWhenTheMessageNeverComes(LocalStack stack) throws Exception {
    String yaml =
        """
        dag_id: kafka_sensor_timeout
        schedule: null
        start_date: 2024-01-01
        tasks:
          - id: never
            type: kafka_await_message
            topic: ops_silence
            match: "never"
            poke_interval: PT1S
            timeout: PT3S
            soft_fail: true
        """;
    try (var runner = new DagRunner(stack.config(), yaml)) {
      assertThat(runner.run(TIMEOUT)).containsEntry("never", TaskState.SKIPPED);
    }
  }
}
