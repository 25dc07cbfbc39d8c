package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.EngineLoop;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.schemaregistry.client.SchemaRegistryClient;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import io.sluice.web.api.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation under {@code /api/v2/sluice} against a running server beside a real Kafka broker
 * and schema registry, each request and response validated against Sluice's own OpenAPI document
 * (the one the server serves at {@code /api/v2/sluice/openapi.json}).
 */
@SluiceStackTest(services = {Service.KAFKA, Service.SCHEMA_REGISTRY})
class SluiceApiV2IT {
  private static final String PASSWORD = "sluice-v2-pw-1";
  private static final String TOPIC = "sluice_v2_events";
  static JdbcStore store;
  static EngineLoop scheduler;
  static WebServer web;
  static SpecValidator api;
  static SluiceConfig config;
  static LocalStack stack;

  @BeforeAll
  static void start(LocalStack localStack) throws Exception {
    stack = localStack;
    Path dir = Files.createTempDirectory("sluice-v2-sluice");
    Path dags = Files.createDirectories(dir.resolve("dags"));
    Files.writeString(
        dags.resolve("etl.yaml"),
        """
        dag_id: etl
        schedule: "@daily"
        start_date: 2024-01-01
        catchup: false
        tasks:
          - id: extract
            type: shell
            command: "echo extracting {{ run_id }}"
        """);
    config =
        stack
            .config()
            .with(Settings.DATA_DIR, dir.toString())
            .with(Settings.DAGS_FOLDER, dags.toString());
    store = MetadataDatabases.inMemory();
    scheduler = WebFixture.startScheduler(store, dags, config);
    web = WebFixture.startWeb(config, scheduler, PASSWORD);
    String base = "http://127.0.0.1:" + web.port();
    String document =
        new String(
            WebServer.class
                .getResourceAsStream("/io/sluice/web/ui/sluice-openapi.json")
                .readAllBytes(),
            StandardCharsets.UTF_8);
    api =
        new SpecValidator(document, base)
            .header("Authorization", WebFixture.basic("admin", PASSWORD));
  }

  @AfterAll
  static void stop() {
    if (web != null) web.close();
    if (scheduler != null) scheduler.close();
    if (store != null) store.close();
  }

  private static JsonNode call(String method, String path, String body, int status)
      throws Exception {
    HttpResponse<String> r = api.call(method, "/api/v2/sluice" + path, body, status);
    return r.body().isEmpty() ? null : Json.parse(r.body());
  }

  /** A call outside this document (the Airflow operations it builds on), not validated here. */
  private static JsonNode raw(String method, String path, String body) throws Exception {
    HttpResponse<String> r =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + web.port() + path))
                    .header("Content-Type", "application/json")
                    .header("Authorization", WebFixture.basic("admin", PASSWORD))
                    .method(
                        method,
                        body == null
                            ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    String last = r.body().strip();
    // why: /wait answers JSON lines; the last one is the run's end
    return Json.parse(last.substring(last.lastIndexOf('\n') + 1));
  }

  @Test
  void everyOperationAnswersAsSluicesDocumentSays() throws Exception {
    assertThat(call("GET", "/openapi.json", null, 200).path("openapi").asText()).startsWith("3.0");
    dagsWithTheirRuns();
    usersAndTokens();
    kafkaAndDeadLetters();
    schemas();
    produce();
    call("GET", "/pipeline", null, 200);
    call("GET", "/pipeline/topics", null, 200);
    call("GET", "/pipeline/streams", null, 200);
    call("GET", "/pipeline/sinks", null, 200);
  }

  private void dagsWithTheirRuns() throws Exception {
    for (String id : List.of("r1", "r2")) {
      raw(
          "POST",
          "/api/v2/dags/etl/dagRuns",
          "{\"dag_run_id\": \"" + id + "\", \"logical_date\": null}");
      raw("GET", "/api/v2/dags/etl/dagRuns/" + id + "/wait?interval=0.2", null);
    }
    JsonNode page = call("GET", "/dags?limit=10&offset=0&dag_runs_limit=1", null, 200);
    assertThat(page.path("total_entries").asInt()).isEqualTo(1);
    JsonNode etl = page.path("dags").get(0);
    assertThat(etl.path("recent_dag_runs")).hasSize(1);
    assertThat(etl.path("recent_dag_runs").get(0).path("state").asText()).isEqualTo("success");
    JsonNode grid = call("GET", "/dags/etl/grid?limit=5", null, 200);
    assertThat(grid.path("dag_runs").size()).isGreaterThanOrEqualTo(2);
    JsonNode rendered =
        call("GET", "/dags/etl/dagRuns/r1/taskInstances/extract/renderedFields", null, 200);
    assertThat(rendered.path("tries").get(0).path("rendered_fields").path("command").asText())
        .isEqualTo("echo extracting r1");
    call("GET", "/dags/etl/dagRuns/r1/taskInstances/nope/renderedFields", null, 404);
    JsonNode backfill =
        raw(
            "POST",
            "/api/v2/backfills",
            "{\"dag_id\": \"etl\", \"from_date\": \"2024-01-01T00:00:00Z\","
                + " \"to_date\": \"2024-01-03T00:00:00Z\"}");
    JsonNode dates =
        call("GET", "/backfills/" + backfill.path("id").asLong() + "/dates", null, 200);
    assertThat(dates.path("total_entries").asInt()).isEqualTo(3);
    call("GET", "/dags/nope/grid", null, 404);
  }

  private void usersAndTokens() throws Exception {
    assertThat(call("GET", "/me", null, 200).path("username").asText()).isEqualTo("admin");
    call(
        "POST",
        "/users",
        "{\"username\": \"ana\", \"password\": \"ana-password-1\", \"role\": \"op\"}",
        201);
    call("GET", "/users", null, 200);
    call("PATCH", "/users/ana", "{\"role\": \"viewer\"}", 200);
    assertThat(call("GET", "/users/ana", null, 200).path("role").asText()).isEqualTo("viewer");
    JsonNode token = call("POST", "/users/ana/tokens", "{\"name\": \"ci\"}", 201);
    JsonNode tokens = call("GET", "/users/ana/tokens", null, 200);
    assertThat(tokens.path("tokens")).hasSize(1);
    call("DELETE", "/users/ana/tokens/" + token.path("token_id").asText(), null, 204);
    call("DELETE", "/users/ana", null, 204);
    call("GET", "/users/ana", null, 404);
  }

  private void kafkaAndDeadLetters() throws Exception {
    String bootstrap = stack.kafkaBootstrap();
    String dlq = config.get(Settings.DLQ_TOPIC);
    TopicProvisioner.ensure(config.with(Settings.TOPIC_PARTITIONS, "1"), dlq, TOPIC);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(TOPIC, "k1", "{\"n\": 1}")).get();
      ProducerRecord<String, String> dead = new ProducerRecord<>(dlq, "k2", "{\"n\": 2}");
      dead.headers().add("sluice.source.topic", TOPIC.getBytes(StandardCharsets.UTF_8));
      dead.headers().add("sluice.error", "bad record".getBytes(StandardCharsets.UTF_8));
      producer.send(dead).get();
    }
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "sluice_v2_group");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1)));
    }
    JsonNode topics = call("GET", "/kafka/topics", null, 200);
    assertThat(topics.path("topics").findValuesAsText("name")).contains(TOPIC);
    call("GET", "/kafka/topics/" + TOPIC, null, 200);
    JsonNode records = call("GET", "/kafka/topics/" + TOPIC + "/records?offset=0", null, 200);
    assertThat(records.path("records").get(0).path("key").asText()).isEqualTo("k1");
    JsonNode byKey = call("GET", "/kafka/topics/" + TOPIC + "/records?key=k1", null, 200);
    assertThat(byKey.path("records")).hasSize(1);
    assertThat(call("GET", "/kafka/topics/" + TOPIC + "/records?key=k9", null, 200).path("records"))
        .isEmpty();
    call("GET", "/kafka/topics/nope_topic", null, 404);
    call("GET", "/kafka/groups", null, 200);
    JsonNode group = call("GET", "/kafka/groups/sluice_v2_group", null, 200);
    assertThat(group.path("partitions").get(0).path("current_offset").asLong()).isEqualTo(1);
    resetOffsets(c);
    // why: the dead-letter topic is the stack's, which other tests of this module write to too
    JsonNode dead = call("GET", "/pipeline/dlq?limit=50", null, 200);
    List<JsonNode> mine = new ArrayList<>();
    dead.path("records")
        .forEach(
            r -> {
              if (r.path("source_topic").asText().equals(TOPIC)) mine.add(r);
            });
    assertThat(mine).hasSize(1);
    JsonNode replayed =
        call(
            "POST",
            "/pipeline/dlq/replay",
            "{\"partition\": "
                + mine.get(0).path("partition")
                + ", \"offset\": "
                + mine.get(0).path("offset")
                + "}",
            200);
    assertThat(replayed.path("replayed").asInt()).isEqualTo(1);
  }

  /** The inactive group's offsets move back; a group with a consumer is refused with a 409. */
  private void resetOffsets(Properties c) throws Exception {
    String reset = "/kafka/groups/sluice_v2_group/reset-offsets";
    JsonNode dry = call("POST", reset, "{\"to\": \"earliest\", \"dry_run\": true}", 200);
    assertThat(dry.path("offsets").get(0).path("new_offset").asLong()).isZero();
    assertThat(dry.path("group").path("partitions").get(0).path("current_offset").asLong())
        .isEqualTo(1);
    JsonNode moved = call("POST", reset, "{\"to\": \"earliest\"}", 200);
    JsonNode partition = moved.path("group").path("partitions").get(0);
    assertThat(partition.path("current_offset").asLong()).isZero();
    assertThat(partition.path("lag").asLong()).isEqualTo(1);
    call("POST", reset, "{\"to\": \"shift_by\"}", 400);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "sluice_v2_active");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      while (consumer.assignment().isEmpty()) consumer.poll(java.time.Duration.ofMillis(200));
      JsonNode refused =
          call("POST", "/kafka/groups/sluice_v2_active/reset-offsets", "{\"to\": \"latest\"}", 409);
      assertThat(refused.path("detail").asText()).contains("is active", "stop its consumers");
    }
  }

  private void schemas() throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(stack.schemaRegistryUrl());
    String v1 =
        "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}";
    String v2 =
        "{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"},"
            + "{\"name\":\"m\",\"type\":\"string\",\"default\":\"\"}]}";
    registry.register(TOPIC + "-value", v1);
    registry.register(TOPIC + "-value", v2);
    JsonNode overview = call("GET", "/schemas", null, 200);
    assertThat(overview.toString()).contains(TOPIC + "-value");
    call("GET", "/schemas/" + TOPIC + "-value", null, 200);
    JsonNode diff = call("GET", "/schemas/" + TOPIC + "-value/diff?from=1&to=2", null, 200);
    assertThat(diff.path("compatible").asBoolean()).isTrue();
  }

  /** A record produced as Avro with the topic's latest schema; a mismatch and a typo refused. */
  private void produce() throws Exception {
    String records = "/kafka/topics/" + TOPIC + "/records";
    JsonNode sent =
        call(
            "POST",
            records,
            "{\"key\": \"k5\", \"headers\": {\"source\": \"api\"}, \"value\": \"{\\\"n\\\": 5}\"}",
            201);
    assertThat(sent.path("format").asText()).isEqualTo("avro");
    JsonNode read =
        call("GET", records + "?offset=" + sent.path("offset").asLong() + "&limit=1", null, 200);
    JsonNode record = read.path("records").get(0);
    assertThat(record.path("key").asText()).isEqualTo("k5");
    assertThat(record.path("format").asText()).isEqualTo("avro");
    assertThat(record.path("headers").path("source").asText()).isEqualTo("api");
    JsonNode refused = call("POST", records, "{\"value\": \"{\\\"m\\\": \\\"x\\\"}\"}", 400);
    assertThat(refused.path("detail").asText()).contains("does not match Avro", "n");
    call("POST", "/kafka/topics/nope_topic/records", "{\"value\": \"x\"}", 404);
  }
}
