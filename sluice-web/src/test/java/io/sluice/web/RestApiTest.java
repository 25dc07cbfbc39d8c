package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.model.ImportError;
import io.sluice.web.api.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API's contract: paths, Airflow field names, state changes seen in the store. */
class RestApiTest {
  static WebFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = WebFixture.start(TestDags.etl(), TestDags.daily());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private JsonNode triggerEtl(String conf) throws Exception {
    f.kit.advance(java.time.Duration.ofMinutes(1)); // why: one manual run per logical date
    JsonNode run = f.postJson("/api/v1/dags/etl/dagRuns", "op", conf);
    f.kit.runUntilIdle();
    return run;
  }

  @Test
  void listsDagsWithAirflowFieldNames() throws Exception {
    JsonNode dags = f.getJson("/api/v1/dags", "viewer");
    assertThat(dags.path("total_entries").asInt()).isEqualTo(2);
    JsonNode etl =
        StreamSupport.stream(dags.path("dags").spliterator(), false)
            .filter(d -> d.path("dag_id").asText().equals("etl"))
            .findFirst()
            .orElseThrow();
    assertThat(etl.path("is_paused").asBoolean()).isFalse();
    assertThat(etl.has("schedule_interval")).isTrue();
    assertThat(etl.has("next_dagrun")).isTrue();
    JsonNode detail = f.getJson("/api/v1/dags/etl", "viewer");
    assertThat(detail.path("tasks").findValuesAsText("task_id"))
        .containsExactly("extract", "transform", "load");
    assertThat(detail.path("tasks").get(1).path("upstream_task_ids").get(0).asText())
        .isEqualTo("extract");
  }

  @Test
  void triggerWithConfRunsTheDagToSuccess() throws Exception {
    JsonNode run = triggerEtl("{\"conf\": {\"city\": \"Lisbon\"}}");
    String runId = run.path("dag_run_id").asText();
    assertThat(runId).startsWith("manual__");
    JsonNode stored = f.getJson("/api/v1/dags/etl/dagRuns/" + WebFixture.enc(runId), "viewer");
    assertThat(stored.path("state").asText()).isEqualTo("success");
    assertThat(stored.path("conf").path("city").asText()).isEqualTo("Lisbon");
    for (String field :
        List.of("dag_id", "run_id", "logical_date", "data_interval_start", "data_interval_end"))
      assertThat(stored.has(field)).as(field).isTrue();
    JsonNode tis =
        f.getJson("/api/v1/dags/etl/dagRuns/" + WebFixture.enc(runId) + "/taskInstances", "viewer");
    assertThat(tis.path("task_instances").findValuesAsText("state"))
        .containsOnly("success")
        .hasSize(3);
    assertThat(tis.path("task_instances").get(0).path("try_number").asInt()).isEqualTo(1);
    assertThat(f.kit.run("etl", runId).state().dbValue()).isEqualTo("success");
  }

  @Test
  void taskLogsAreReadWhole_tailedAndFollowed() throws Exception {
    String runId = triggerEtl("{\"conf\": {\"city\": \"Porto\"}}").path("run_id").asText();
    String logs =
        "/api/v1/dags/etl/dagRuns/" + WebFixture.enc(runId) + "/taskInstances/extract/logs/1";
    JsonNode all = f.getJson(logs, "viewer");
    assertThat(all.path("content").asText()).contains("extracting for Porto");
    int total = all.path("next_offset").asInt();
    assertThat(total).isGreaterThanOrEqualTo(2);
    JsonNode tail = f.getJson(logs + "?tail=1", "viewer");
    assertThat(tail.path("lines")).hasSize(1);
    JsonNode after = f.getJson(logs + "?offset=" + total, "viewer");
    assertThat(after.path("lines")).isEmpty();
    assertThat(after.path("finished").asBoolean()).isTrue();

    HttpResponse<String> sse =
        f.send("GET", logs + "/stream", "viewer", null, "Accept", "text/event-stream");
    assertThat(sse.statusCode()).isEqualTo(200);
    assertThat(sse.headers().firstValue("Content-Type").orElse("")).contains("text/event-stream");
    assertThat(sse.body()).contains("event: line").contains("extracting for Porto");
    assertThat(sse.body()).contains("event: end").contains("success");
  }

  @Test
  void pauseAndUnpauseChangeTheStoredFlag() throws Exception {
    JsonNode paused =
        f.send("PATCH", "/api/v1/dags/daily", "op", "{\"is_paused\": true}")
            .body()
            .transform(Json::parse);
    assertThat(paused.path("is_paused").asBoolean()).isTrue();
    assertThat(f.kit.store().inTransaction(tx -> tx.dag("daily")).orElseThrow().paused()).isTrue();
    f.postJson("/api/v1/dags/daily/unpause", "op", null);
    assertThat(f.kit.store().inTransaction(tx -> tx.dag("daily")).orElseThrow().paused()).isFalse();
  }

  @Test
  void clearMakesAFinishedRunRunAgain() throws Exception {
    String runId = triggerEtl("{}").path("run_id").asText();
    String path = "/api/v1/dags/etl/dagRuns/" + WebFixture.enc(runId);
    JsonNode cleared =
        f.postJson(
            path + "/clear", "op", "{\"task_ids\": [\"transform\"], \"include_downstream\": true}");
    assertThat(cleared.path("cleared").asInt()).isEqualTo(2);
    assertThat(f.kit.taskInstance("etl", runId, "load").state().dbValue()).isEqualTo("none");
    f.kit.runUntilIdle();
    assertThat(f.kit.taskInstance("etl", runId, "load").state().dbValue()).isEqualTo("success");
    assertThat(f.kit.taskInstance("etl", runId, "load").tryNumber()).isEqualTo(2);
    assertThat(f.getJson(path, "viewer").path("state").asText()).isEqualTo("success");
  }

  @Test
  void backfillIsRecordedAndTheSchedulerMakesOneRunPerLogicalDate() throws Exception {
    JsonNode bf =
        f.postJson(
            "/api/v1/backfills",
            "op",
            "{\"dag_id\": \"daily\", \"from_date\": \"2024-01-01\", \"to_date\": \"2024-01-03\"}");
    assertThat(bf.path("progress").path("total").asInt()).isEqualTo(3);
    assertThat(bf.path("reprocess_behavior").asText()).isEqualTo("none");
    assertThat(bf.path("max_active_runs").asInt()).isEqualTo(10);
    f.kit.runUntilIdle();
    JsonNode list = f.getJson("/api/v1/backfills?dag_id=daily", "viewer");
    assertThat(list.path("total_entries").asInt()).isEqualTo(1);
    assertThat(list.path("backfills").get(0).path("state").asText()).isEqualTo("completed");
    JsonNode dates = f.getJson("/api/v1/backfills/" + bf.path("id").asLong() + "/dates", "viewer");
    assertThat(dates.path("dates").findValuesAsText("logical_date"))
        .containsExactly(
            "2024-01-01T00:00:00+00:00", "2024-01-02T00:00:00+00:00", "2024-01-03T00:00:00+00:00");
    assertThat(dates.path("dates").findValuesAsText("state")).containsOnly("success");
  }

  @Test
  void runsAndTasksAreMarkedAndRunsDeleted() throws Exception {
    String runId = triggerEtl("{}").path("run_id").asText();
    String path = "/api/v1/dags/etl/dagRuns/" + WebFixture.enc(runId);
    JsonNode failed =
        f.send("PATCH", path, "op", "{\"state\": \"failed\"}").body().transform(Json::parse);
    assertThat(failed.path("state").asText()).isEqualTo("failed");
    assertThat(f.kit.run("etl", runId).state().dbValue()).isEqualTo("failed");

    JsonNode task =
        f.send("PATCH", path + "/taskInstances/load", "op", "{\"state\": \"failed\"}")
            .body()
            .transform(Json::parse);
    assertThat(task.path("state").asText()).isEqualTo("failed");
    assertThat(f.kit.taskInstance("etl", runId, "load").state().dbValue()).isEqualTo("failed");
    assertThat(f.send("PATCH", path, "op", "{\"state\": \"running\"}").statusCode()).isEqualTo(400);

    assertThat(f.send("DELETE", path, "op", null).statusCode()).isEqualTo(204);
    assertThat(f.kit.store().<java.util.Optional<?>>inTransaction(tx -> tx.run("etl", runId)))
        .isEmpty();
    assertThat(f.get(path, "viewer").statusCode()).isEqualTo(404);
    assertThat(f.send("DELETE", path, "op", null).statusCode()).isEqualTo(404);
  }

  @Test
  void aRunHasOneJsonShape_timestampsAsAirflowPrintsThem() throws Exception {
    JsonNode run =
        f.postJson(
            "/api/v1/dags/etl/dagRuns", "op", "{\"logical_date\": \"2023-05-01T00:00:00Z\"}");
    assertThat(run.path("logical_date").asText()).isEqualTo("2023-05-01T00:00:00+00:00");
    assertThat(run.path("dag_run_id").asText()).isEqualTo(run.path("run_id").asText());
    assertThat(run.path("conf").isObject()).isTrue();
    HttpResponse<String> again =
        f.send("POST", "/api/v1/dags/etl/dagRuns", "op", "{\"logical_date\": \"2023-05-01\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("already exists");
    HttpResponse<String> farOff =
        f.send(
            "POST",
            "/api/v1/dags/etl/dagRuns",
            "op",
            "{\"logical_date\": \"+99999-01-01T00:00:00Z\"}");
    assertThat(farOff.statusCode()).isEqualTo(400);
  }

  @Test
  void variablesAreWrittenAndSensitiveValuesMasked() throws Exception {
    f.postJson("/api/v1/variables", "op", "{\"key\": \"lat\", \"value\": \"52.52\"}");
    f.postJson("/api/v1/variables", "op", "{\"key\": \"api_token\", \"value\": \"s3cr3t\"}");
    assertThat(f.kit.store().<java.util.Optional<String>>inTransaction(tx -> tx.variable("lat")))
        .contains("52.52");
    assertThat(f.getJson("/api/v1/variables/lat", "viewer").path("value").asText())
        .isEqualTo("52.52");
    JsonNode all = f.getJson("/api/v1/variables", "viewer");
    assertThat(all.toString()).doesNotContain("s3cr3t");
    assertThat(f.getJson("/api/v1/variables/api_token", "admin").path("value").asText())
        .isEqualTo("***");
    assertThat(f.send("DELETE", "/api/v1/variables/lat", "op", null).statusCode()).isEqualTo(204);
    assertThat(f.kit.store().<java.util.Optional<String>>inTransaction(tx -> tx.variable("lat")))
        .isEmpty();
  }

  @Test
  void connectionSecretsAreEncryptedAndNeverReturned() throws Exception {
    JsonNode saved =
        f.postJson(
            "/api/v1/connections",
            "op",
            "{\"connection_id\": \"warehouse\", \"conn_type\": \"postgres\", \"host\": \"db\","
                + " \"port\": 5432, \"login\": \"etl\", \"password\": \"pg-s3cret\","
                + " \"extra\": {\"sslmode\": \"require\", \"api_key\": \"k-s3cret\"}}");
    assertThat(saved.path("password").asText()).isEqualTo("***");
    JsonNode one = f.getJson("/api/v1/connections/warehouse", "viewer");
    assertThat(one.path("host").asText()).isEqualTo("db");
    assertThat(one.path("extra").path("sslmode").asText()).isEqualTo("require");
    String all = f.get("/api/v1/connections", "admin").body();
    for (String r : List.of(saved.toString(), one.toString(), all))
      assertThat(r).doesNotContain("pg-s3cret").doesNotContain("k-s3cret");
    try (var c = f.kit.store().dataSource().getConnection();
        var rs = c.createStatement().executeQuery("SELECT * FROM connection")) {
      StringBuilder raw = new StringBuilder();
      while (rs.next())
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) raw.append(rs.getString(i));
      assertThat(raw).contains("db").doesNotContain("pg-s3cret");
    }
    assertThat(f.send("POST", "/api/v1/connections", "viewer", "{}").statusCode()).isEqualTo(403);
    assertThat(f.send("DELETE", "/api/v1/connections/warehouse", "op", null).statusCode())
        .isEqualTo(204);
    assertThat(f.get("/api/v1/connections/warehouse", "viewer").statusCode()).isEqualTo(404);
  }

  @Test
  void usersAndApiTokens() throws Exception {
    JsonNode u =
        f.postJson(
            "/api/v1/users",
            "admin",
            "{\"username\": \"carol\", \"password\": \"carol-password\", \"role\": \"op\"}");
    assertThat(u.path("role").asText()).isEqualTo("op");
    assertThat(u.toString()).doesNotContain("carol-password").doesNotContain("$2");
    assertThat(f.getJson("/api/v1/users", "admin").path("users").findValuesAsText("username"))
        .contains("admin", "op", "viewer", "carol");
    JsonNode token = f.postJson("/api/v1/users/viewer/tokens", "viewer", "{\"name\": \"ci\"}");
    String secret = token.path("token").asText();
    assertThat(secret).startsWith("slc_");
    HttpResponse<String> me =
        f.send("GET", "/api/v1/me", null, null, "Authorization", "Bearer " + secret);
    assertThat(Json.parse(me.body()).path("username").asText()).isEqualTo("viewer");
    assertThat(f.get("/api/v1/users/viewer/tokens", "viewer").body()).doesNotContain(secret);
  }

  @Test
  void importErrorsAreListedWithFileAndLine() throws Exception {
    f.kit
        .store()
        .inTransaction(
            tx -> {
              tx.replaceImportErrors(
                  "dags/broken.yaml",
                  List.of(
                      new ImportError("dags/broken.yaml", 7, "cycle: a -> b -> a", Instant.now())));
              return null;
            });
    JsonNode errs = f.getJson("/api/v1/importErrors", "viewer");
    assertThat(errs.path("import_errors").get(0).path("filename").asText())
        .isEqualTo("dags/broken.yaml");
    assertThat(errs.path("import_errors").get(0).path("message").asText())
        .isEqualTo("dags/broken.yaml:7: cycle: a -> b -> a");
  }

  @Test
  void errorsAreJsonWithoutStackTraces() throws Exception {
    HttpResponse<String> missing = f.get("/api/v1/dags/nope", "viewer");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(Json.parse(missing.body()).path("error").asText()).contains("nope");
    HttpResponse<String> bad = f.send("POST", "/api/v1/dags/etl/dagRuns", "op", "{not json");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.parse(bad.body()).has("error")).isTrue();
    HttpResponse<String> conf = f.send("POST", "/api/v1/dags/etl/dagRuns", "op", "{\"conf\": 3}");
    assertThat(conf.statusCode()).isEqualTo(400);
    HttpResponse<String> noRoute = f.get("/api/v1/nothing-here", "viewer");
    assertThat(noRoute.statusCode()).isEqualTo(404);
    for (HttpResponse<String> r : List.of(missing, bad, conf, noRoute))
      assertThat(r.body()).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void gridHasRunsByTasksAndEveryState() throws Exception {
    triggerEtl("{}");
    JsonNode grid = f.getJson("/api/v1/dags/etl/grid", "viewer");
    assertThat(grid.path("task_ids").toString()).contains("extract", "transform", "load");
    assertThat(grid.path("task_states")).hasSize(13);
    JsonNode last = grid.path("dag_runs").get(grid.path("dag_runs").size() - 1);
    assertThat(last.path("task_instances").path("load").path("state").asText())
        .isEqualTo("success");
  }

  @Test
  void openApiDocumentDescribesEveryRoute() throws Exception {
    JsonNode doc = f.getJson("/api/v1/openapi.json", "viewer");
    assertThat(doc.path("openapi").asText()).startsWith("3.");
    List<String> paths = new ArrayList<>();
    doc.path("paths").fieldNames().forEachRemaining(paths::add);
    assertThat(paths)
        .contains(
            "/api/v1/dags",
            "/api/v1/dags/{dag_id}/dagRuns",
            "/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}",
            "/api/v1/backfills",
            "/api/v1/variables",
            "/api/v1/users",
            "/health");
  }

  @Test
  void healthNeedsNoCredentials() throws Exception {
    HttpResponse<String> r =
        f.http.send(
            HttpRequest.newBuilder(URI.create(f.base + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Json.parse(r.body()).path("metadatabase").path("status").asText())
        .isEqualTo("healthy");
  }

  @Test
  void metricsExposeSchedulerStatesInPrometheusFormat() throws Exception {
    triggerEtl("{}");
    HttpResponse<String> r = f.get("/metrics", "viewer");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("sluice_task_instances{state=\"success\"}")
        .contains("sluice_dag_runs{state=\"success\"}")
        .contains("sluice_scheduler_queue_depth")
        .contains("sluice_scheduler_handoff_latency_seconds{quantile=\"0.5\"}")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void pipelineReportsSystemsThatAreDownWithoutFailing() throws Exception {
    JsonNode p = f.getJson("/api/v1/pipeline", "viewer");
    assertThat(p.path("flows").findValuesAsText("topic")).contains("users_created");
    assertThat(p.path("kafka").path("status").asText()).isEqualTo("down");
  }
}
