package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.TaskState;
import io.sluice.web.api.Json;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input is a 400 naming the field, never a 500 and never acted on. */
class InputValidationTest {
  static WebFixture f;
  static final String LONG = "x".repeat(3000);

  @BeforeAll
  static void start() throws Exception {
    f = WebFixture.start(TestDags.etl());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static String variable(String key) {
    return f.kit.store().inTransaction(tx -> tx.variable(key)).orElse(null);
  }

  private static void refused(HttpResponse<String> r, String field) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(Json.parse(r.body()).path("error").asText()).contains("'" + field);
  }

  @Test
  void overlongFieldsAreRefusedNamingTheField() throws Exception {
    refused(
        f.send(
            "POST",
            "/api/v1/variables",
            "op",
            "{\"key\":\"k\",\"value\":\"v\",\"description\":\"" + LONG + "\"}"),
        "description");
    for (String field : List.of("host", "login", "password", "schema", "description"))
      refused(
          f.send(
              "POST",
              "/api/v1/connections",
              "op",
              "{\"connection_id\":\"c\",\"conn_type\":\"http\",\""
                  + field
                  + "\":\""
                  + LONG
                  + "\"}"),
          field);
    refused(f.send("POST", "/api/v1/users/op/tokens", "op", "{\"name\":\"" + LONG + "\"}"), "name");
    assertThat(variable("k")).isNull();
    assertThat(f.web.users().tokens("op")).isEmpty();
  }

  @Test
  void wrongTypesAreNotCoerced() throws Exception {
    refused(
        f.send(
            "POST",
            "/api/v1/users",
            "admin",
            "{\"username\":true,\"password\":\"long-enough-1\",\"role\":\"viewer\"}"),
        "username");
    refused(
        f.send(
            "POST",
            "/api/v1/users",
            "admin",
            "{\"username\":\"zero\",\"password\":0,\"role\":\"viewer\"}"),
        "password");
    refused(
        f.send(
            "POST",
            "/api/v1/users",
            "admin",
            "{\"username\":\"zero\",\"password\":\"long-enough-1\",\"role\":\"root\"}"),
        "role");
    refused(
        f.send(
            "POST",
            "/api/v1/connections",
            "op",
            "{\"connection_id\":\"c\",\"conn_type\":\"http\",\"port\":\"80\"}"),
        "port");
    refused(f.send("PATCH", "/api/v1/dags/etl", "op", "{\"is_paused\":\"true\"}"), "is_paused");
    refused(
        f.send("POST", "/api/v1/variables", "op", "{\"key\":\"k\",\"value\":\"v\",\"extra\":1}"),
        "extra");
    assertThat(f.web.users().find("true")).isEmpty();
    assertThat(f.web.users().find("zero")).isEmpty();
  }

  @Test
  void trailingDataAfterTheBodyIsRefused() throws Exception {
    HttpResponse<String> r =
        f.send("POST", "/api/v1/variables", "op", "{\"key\":\"trail\",\"value\":\"v\"} garbage");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.parse(r.body()).path("error").asText()).contains("invalid JSON");
    assertThat(
            f.send("POST", "/api/v1/variables", "op", "{\"key\":\"trail\",\"key\":\"x\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(variable("trail")).isNull();
  }

  @Test
  void patchNeverCreatesAVariable() throws Exception {
    HttpResponse<String> r =
        f.send("PATCH", "/api/v1/variables/has%20space", "op", "{\"value\":\"v\"}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(variable("has space")).isNull();
    f.postJson("/api/v1/variables", "op", "{\"key\":\"patched\",\"value\":\"a\"}");
    assertThat(f.send("PATCH", "/api/v1/variables/patched", "op", "{\"value\":\"b\"}").statusCode())
        .isEqualTo(200);
    assertThat(variable("patched")).isEqualTo("b");
  }

  @Test
  void nestedConnectionExtraIsKeptAsJson() throws Exception {
    f.postJson(
        "/api/v1/connections",
        "op",
        "{\"connection_id\":\"nested\",\"conn_type\":\"kafka\",\"extra\":{\"opts\":{\"a\":1}}}");
    JsonNode c = f.getJson("/api/v1/connections/nested", "viewer");
    assertThat(Json.parse(c.path("extra").path("opts").asText()).path("a").asInt()).isEqualTo(1);
  }

  @Test
  void clearWithAStringInsteadOfAListClearsNothing() throws Exception {
    JsonNode run = f.postJson("/api/v1/dags/etl/dagRuns", "op", "{}");
    f.kit.runUntilIdle();
    String runId = run.path("dag_run_id").asText();
    String path = "/api/v1/dags/etl/dagRuns/" + WebFixture.enc(runId) + "/clear";
    refused(f.send("POST", path, "op", "{\"task_ids\":\"extract\"}"), "task_ids");
    refused(f.send("POST", path, "op", "{\"task_ids\":[\"no_such_task\"]}"), "task_ids");
    List<TaskState> states =
        f.kit.store().inTransaction(tx -> tx.taskInstances("etl", runId)).stream()
            .map(t -> t.state())
            .toList();
    assertThat(states).hasSize(3).containsOnly(TaskState.SUCCESS);
  }

  @Test
  void datesOutsideTheSupportedRangeAreRefused() throws Exception {
    refused(
        f.send(
            "POST",
            "/api/v1/dags/etl/dagRuns",
            "op",
            "{\"logical_date\":\"+99999-01-01T00:00:00Z\"}"),
        "logical_date");
    refused(
        f.send(
            "POST",
            "/api/v1/backfills",
            "op",
            "{\"dag_id\":\"etl\",\"from_date\":\"2024-13-45\",\"to_date\":\"2024-01-02\"}"),
        "from_date");
  }

  @Test
  void dlqReplayOfAMissingPartitionIsRefusedQuickly() throws Exception {
    refused(
        f.send("POST", "/api/v1/pipeline/dlq/replay", "op", "{\"partition\":\"99\"}"), "partition");
    refused(f.send("POST", "/api/v1/pipeline/dlq/replay", "op", "{\"partition\":-1}"), "partition");
  }

  @Test
  void aJaasPasswordNeverComesBackFromTheApi() throws Exception {
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\\\"alice\\\" password=\\\"jaas-secret-1\\\";";
    f.postJson(
        "/api/v1/connections",
        "op",
        "{\"connection_id\":\"sasl\",\"conn_type\":\"kafka\",\"host\":\"https://u:url-secret-2@h\","
            + "\"extra\":{\"sasl.jaas.config\":\""
            + jaas
            + "\",\"options\":\""
            + jaas
            + "\"}}");
    f.postJson("/api/v1/variables", "op", "{\"key\":\"kafka_opts\",\"value\":\"" + jaas + "\"}");
    for (String path :
        List.of(
            "/api/v1/connections/sasl",
            "/api/v1/connections",
            "/api/v1/variables/kafka_opts",
            "/api/v1/variables")) {
      String body = f.get(path, "admin").body();
      assertThat(body).as(path).doesNotContain("jaas-secret-1").doesNotContain("url-secret-2");
    }
    assertThat(
            f.getJson("/api/v1/connections/sasl", "viewer").path("extra").path("options").asText())
        .contains("username=\"alice\"");
  }
}
