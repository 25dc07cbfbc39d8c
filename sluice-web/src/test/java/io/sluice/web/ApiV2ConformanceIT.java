package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.EngineLoop;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import io.sluice.web.api.Json;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every implemented {@code /api/v2} operation against a running server (a real scheduler running
 * shell tasks), each request and response validated against Airflow 3's OpenAPI document.
 */
class ApiV2ConformanceIT {
  private static final String PASSWORD = "conformance-pw-1";
  static JdbcStore store;
  static EngineLoop scheduler;
  static WebServer web;
  static SpecValidator api;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("sluice-v2");
    Path dags = Files.createDirectories(dir.resolve("dags"));
    Files.writeString(
        dags.resolve("etl.yaml"),
        """
        dag_id: etl
        schedule: null
        start_date: 2024-01-01
        tags: [conformance, shell]
        tasks:
          - id: extract
            type: shell
            command: "echo extracting; echo 3"
            env:
              SOURCE_URL: "https://example.test/weather?start={{ data_interval_start }}&n={{ dag_run.conf.n }}"
          - id: transform
            type: shell
            command: "echo 6"
            depends_on: [extract]
          - id: load
            type: shell
            command: "echo loaded"
            depends_on: [transform]
        """);
    Files.writeString(
        dags.resolve("daily.yaml"),
        """
        dag_id: daily
        schedule: "@daily"
        start_date: 2024-01-01
        catchup: false
        tasks:
          - id: work
            type: shell
            command: "echo done"
        """);
    Files.writeString(
        dags.resolve("broken.yaml"), "dag_id: broken\ntasks:\n  - id: a\n    type: nope\n");
    SluiceConfig config =
        WebFixture.config(dir)
            .with(Settings.DAGS_FOLDER, dags.toString())
            .with(WebSettings.ADMIN_PASSWORD, PASSWORD);
    store = MetadataDatabases.inMemory();
    scheduler = WebFixture.startScheduler(store, dags, config);
    web =
        WebServer.start(
            config,
            scheduler.runs(),
            scheduler,
            new PrintStream(System.out, true, StandardCharsets.UTF_8),
            0);
    api = new SpecValidator(SpecValidator.airflowSpec(), "http://127.0.0.1:" + web.port());
  }

  @AfterAll
  static void stop() {
    if (web != null) web.close();
    if (scheduler != null) scheduler.close();
    if (store != null) store.close();
  }

  private static JsonNode json(HttpResponse<String> r) {
    return Json.parse(r.body());
  }

  private static HttpResponse<String> raw(String method, String path, String body)
      throws Exception {
    return raw(method, path, body, null);
  }

  /** A call outside Airflow's document, not validated, as {@code authorization} when not null. */
  private static HttpResponse<String> raw(
      String method, String path, String body, String authorization) throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + web.port() + path));
    if (authorization != null) request.header("Authorization", authorization);
    return java.net.http.HttpClient.newHttpClient()
        .send(
            request
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode call(String method, String path, String body, int status)
      throws Exception {
    HttpResponse<String> r = api.call(method, "/api/v2" + path, body, status);
    return r.body().isEmpty() ? null : json(r);
  }

  @Test
  void everyOperationAnswersAsTheDocumentSays() throws Exception {
    authenticatesWithAJwt();
    dags();
    String runId = triggerThenWait();
    taskInstancesAndXComs(runId);
    markStateThenClear(runId);
    notes(runId);
    connections();
    variables();
    pools();
    backfills();
    monitorAndErrors();
    eventLogs(runId);
    call("DELETE", "/dags/etl/dagRuns/" + runId, null, 204);
    call("GET", "/dags/etl/dagRuns/" + runId, null, 404);
  }

  private void authenticatesWithAJwt() throws Exception {
    HttpResponse<String> unauth = api.call("GET", "/api/v2/dags", null, 401);
    assertThat(json(unauth).path("detail").asText()).contains("authentication");
    // why: /auth/token is Airflow's auth manager's path, not in the v2 document
    HttpResponse<String> r =
        raw("POST", "/auth/token", "{\"username\":\"admin\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.statusCode()).isEqualTo(201);
    String jwt = json(r).path("access_token").asText();
    assertThat(jwt.split("\\.")).hasSize(3);
    api.header("Authorization", "Bearer " + jwt);
  }

  private void dags() throws Exception {
    JsonNode page = call("GET", "/dags?limit=1&offset=1&order_by=dag_id", null, 200);
    assertThat(page.path("total_entries").asInt()).isEqualTo(2);
    assertThat(page.path("dags")).hasSize(1);
    assertThat(page.path("dags").get(0).path("dag_id").asText()).isEqualTo("etl");
    JsonNode etl = call("GET", "/dags/etl", null, 200);
    assertThat(etl.path("tags").findValuesAsText("name")).contains("conformance", "shell");
    JsonNode tagged = call("GET", "/dags?tags=conformance", null, 200);
    assertThat(tagged.path("total_entries").asInt()).isEqualTo(1);
    JsonNode paused =
        call("PATCH", "/dags/daily?update_mask=is_paused", "{\"is_paused\": true}", 200);
    assertThat(paused.path("is_paused").asBoolean()).isTrue();
    call("GET", "/dags/etl/details", null, 200);
    JsonNode tasks = call("GET", "/dags/etl/tasks", null, 200);
    assertThat(tasks.path("tasks").findValuesAsText("operator_name")).containsOnly("shell");
    call("GET", "/dags/etl/tasks/transform", null, 200);
    JsonNode source = call("GET", "/dagSources/etl", null, 200);
    assertThat(source.path("content").asText()).contains("dag_id: etl");
    call("GET", "/dags/nope", null, 404);
  }

  private String triggerThenWait() throws Exception {
    JsonNode run =
        call(
            "POST",
            "/dags/etl/dagRuns",
            "{\"dag_run_id\": \"conformance_1\", \"logical_date\": null, \"conf\": {\"n\": 1}}",
            200);
    assertThat(run.path("dag_run_id").asText()).isEqualTo("conformance_1");
    call("POST", "/dags/etl/dagRuns", "{\"dag_run_id\": \"conformance_1\"}", 409);
    HttpResponse<String> wait =
        api.call(
            "GET",
            "/api/v2/dags/etl/dagRuns/conformance_1/wait?interval=0.2&result=transform",
            null,
            200);
    List<String> lines = wait.body().lines().toList();
    JsonNode last = Json.parse(lines.get(lines.size() - 1));
    assertThat(last.path("state").asText()).isEqualTo("success");
    assertThat(last.path("results").path("transform").asInt()).isEqualTo(6);
    JsonNode runs = call("GET", "/dags/~/dagRuns?limit=1&offset=0&order_by=-run_after", null, 200);
    assertThat(runs.path("dag_runs")).hasSize(1);
    assertThat(runs.path("total_entries").asInt()).isGreaterThanOrEqualTo(1);
    call("GET", "/dags/etl/dagRuns?state=success&limit=5", null, 200);
    call("GET", "/dags/etl/dagRuns/conformance_1", null, 200);
    return "conformance_1";
  }

  private void taskInstancesAndXComs(String runId) throws Exception {
    String run = "/dags/etl/dagRuns/" + runId;
    JsonNode tis = call("GET", run + "/taskInstances?limit=2&offset=1&order_by=task_id", null, 200);
    assertThat(tis.path("total_entries").asInt()).isEqualTo(3);
    assertThat(tis.path("task_instances").findValuesAsText("task_id"))
        .containsExactly("load", "transform");
    call("GET", "/dags/~/dagRuns/~/taskInstances?limit=10", null, 200);
    JsonNode ti = call("GET", run + "/taskInstances/extract", null, 200);
    assertThat(ti.path("operator").asText()).isEqualTo("shell");
    renderedFields(run, ti);
    JsonNode log = call("GET", run + "/taskInstances/extract/logs/1", null, 200);
    assertThat(log.path("content").findValuesAsText("event")).contains("extracting");
    call("GET", run + "/taskInstances/extract/tries", null, 200);
    JsonNode xcoms = call("GET", run + "/taskInstances/transform/xcomEntries", null, 200);
    assertThat(xcoms.path("xcom_entries").findValuesAsText("key")).containsExactly("return_value");
    JsonNode xcom =
        call("GET", run + "/taskInstances/transform/xcomEntries/return_value", null, 200);
    assertThat(xcom.path("value").asInt()).isEqualTo(6);
    call("GET", "/dags/etl/dagRuns/~/taskInstances/~/xcomEntries?limit=5", null, 200);
  }

  /** The values the try used: the run's data interval start and conf in the URL it rendered. */
  private void renderedFields(String run, JsonNode ti) throws Exception {
    JsonNode runView = call("GET", run, null, 200);
    Instant start = Instant.parse(runView.path("data_interval_start").asText());
    JsonNode fields = ti.path("rendered_fields");
    assertThat(fields.path("command").asText()).isEqualTo("echo extracting; echo 3");
    String url = fields.path("env.SOURCE_URL").asText();
    assertThat(url).startsWith("https://example.test/weather?start=").endsWith("&n=1");
    String rendered = url.substring(url.indexOf('=') + 1, url.indexOf('&'));
    assertThat(OffsetDateTime.parse(rendered).toInstant()).isEqualTo(start);
    JsonNode listed = call("GET", run + "/taskInstances?task_id=extract", null, 200);
    assertThat(listed.path("task_instances").get(0).path("rendered_fields")).isEqualTo(fields);
    JsonNode tries =
        json(
            raw(
                "GET",
                "/api/v2/sluice" + run + "/taskInstances/extract/renderedFields",
                null,
                WebFixture.basic("admin", PASSWORD)));
    assertThat(tries.path("tries").findValuesAsText("try_number")).containsExactly("1");
    assertThat(tries.path("tries").get(0).path("rendered_fields")).isEqualTo(fields);
  }

  private void markStateThenClear(String runId) throws Exception {
    String run = "/dags/etl/dagRuns/" + runId;
    JsonNode marked =
        call("PATCH", run + "/taskInstances/load", "{\"new_state\": \"failed\"}", 200);
    assertThat(marked.path("task_instances").get(0).path("state").asText()).isEqualTo("failed");
    JsonNode failed = call("PATCH", run + "?update_mask=state", "{\"state\": \"failed\"}", 200);
    assertThat(failed.path("state").asText()).isEqualTo("failed");
    JsonNode dry =
        call(
            "POST",
            "/dags/etl/clearTaskInstances",
            "{\"dag_run_id\": \"" + runId + "\", \"only_failed\": true, \"dry_run\": true}",
            200);
    assertThat(dry.path("task_instances").findValuesAsText("task_id")).containsExactly("load");
    JsonNode cleared =
        call("POST", run + "/clear", "{\"dry_run\": false, \"only_failed\": true}", 200);
    assertThat(cleared.path("state").asText()).isIn("queued", "running", "success");
    HttpResponse<String> wait = api.call("GET", "/api/v2" + run + "/wait?interval=0.2", null, 200);
    assertThat(wait.body()).contains("\"state\":\"success\"");
  }

  private void notes(String runId) throws Exception {
    String run = "/dags/etl/dagRuns/" + runId;
    JsonNode noted =
        call("PATCH", run + "?update_mask=note", "{\"note\": \"rerun after the outage\"}", 200);
    assertThat(noted.path("note").asText()).isEqualTo("rerun after the outage");
    assertThat(call("GET", run, null, 200).path("note").asText())
        .isEqualTo("rerun after the outage");
    JsonNode listed = call("GET", "/dags/etl/dagRuns?limit=10", null, 200);
    assertThat(listed.path("dag_runs").findValuesAsText("note")).contains("rerun after the outage");
    JsonNode tiNoted =
        call(
            "PATCH",
            run + "/taskInstances/load?update_mask=note",
            "{\"note\": \"checked by hand\"}",
            200);
    assertThat(tiNoted.path("task_instances").get(0).path("note").asText())
        .isEqualTo("checked by hand");
    assertThat(call("GET", run + "/taskInstances/load", null, 200).path("note").asText())
        .isEqualTo("checked by hand");
    call("PATCH", run + "?update_mask=note", "{\"note\": null}", 200);
    assertThat(call("GET", run, null, 200).path("note").isNull()).isTrue();
    JsonNode triggered =
        call(
            "POST",
            "/dags/daily/dagRuns",
            "{\"dag_run_id\": \"noted_1\", \"logical_date\": null, \"note\": \"by hand\"}",
            200);
    assertThat(triggered.path("note").asText()).isEqualTo("by hand");
  }

  private void connections() throws Exception {
    String body =
        "{\"connection_id\": \"web_self\", \"conn_type\": \"http\", \"host\": \"127.0.0.1\","
            + " \"port\": "
            + web.port()
            + ", \"password\": \"s3cret\", \"extra\": \"{\\\"api_key\\\": \\\"k\\\", \\\"x\\\": \\\"1\\\"}\"}";
    JsonNode created = call("POST", "/connections", body, 201);
    assertThat(created.path("password").asText()).isEqualTo("***");
    call("POST", "/connections", body, 409);
    JsonNode list = call("GET", "/connections?limit=10&offset=0&order_by=connection_id", null, 200);
    assertThat(list.path("total_entries").asInt()).isGreaterThanOrEqualTo(1);
    JsonNode patched =
        call(
            "PATCH",
            "/connections/web_self?update_mask=description",
            "{\"connection_id\": \"web_self\", \"conn_type\": \"http\", \"description\": \"me\"}",
            200);
    assertThat(patched.path("description").asText()).isEqualTo("me");
    assertThat(patched.path("host").asText()).isEqualTo("127.0.0.1");
    JsonNode tested =
        call(
            "POST",
            "/connections/test",
            "{\"connection_id\": \"web_self\", \"conn_type\": \"http\"}",
            200);
    assertThat(tested.path("status").asBoolean()).isTrue();
    call("GET", "/connections/web_self", null, 200);
    call("DELETE", "/connections/web_self", null, 204);
    call("GET", "/connections/web_self", null, 404);
  }

  private void variables() throws Exception {
    for (String k : List.of("a_var", "b_var", "c_password"))
      call("POST", "/variables", "{\"key\": \"" + k + "\", \"value\": \"v-" + k + "\"}", 201);
    JsonNode page = call("GET", "/variables?limit=1&offset=2&order_by=-key", null, 200);
    assertThat(page.path("total_entries").asInt()).isEqualTo(3);
    assertThat(page.path("variables").findValuesAsText("key")).containsExactly("a_var");
    assertThat(call("GET", "/variables/c_password", null, 200).path("value").asText())
        .isEqualTo("***");
    JsonNode patched =
        call(
            "PATCH",
            "/variables/a_var?update_mask=value",
            "{\"key\": \"a_var\", \"value\": \"new\"}",
            200);
    assertThat(patched.path("value").asText()).isEqualTo("new");
    call("DELETE", "/variables/b_var", null, 204);
    call("GET", "/variables/b_var", null, 404);
  }

  private void pools() throws Exception {
    JsonNode created = call("POST", "/pools", "{\"name\": \"small\", \"slots\": 2}", 201);
    assertThat(created.path("open_slots").asInt()).isEqualTo(2);
    JsonNode page = call("GET", "/pools?limit=1&offset=0&order_by=name", null, 200);
    assertThat(page.path("total_entries").asInt()).isEqualTo(2);
    assertThat(page.path("pools").findValuesAsText("name")).containsExactly("default_pool");
    JsonNode patched =
        call("PATCH", "/pools/small?update_mask=slots", "{\"pool\": \"small\", \"slots\": 5}", 200);
    assertThat(patched.path("slots").asInt()).isEqualTo(5);
    call("GET", "/pools/small", null, 200);
    call("DELETE", "/pools/default_pool", null, 400);
    call("DELETE", "/pools/small", null, 204);
  }

  private void backfills() throws Exception {
    String body =
        "{\"dag_id\": \"daily\", \"from_date\": \"2024-01-01T00:00:00Z\","
            + " \"to_date\": \"2024-12-31T00:00:00Z\", \"max_active_runs\": 1}";
    JsonNode dry = call("POST", "/backfills/dry_run", body, 200);
    assertThat(dry.path("total_entries").asInt()).isEqualTo(366);
    assertThat(dry.path("backfills").get(0).path("logical_date").asText())
        .isEqualTo("2024-01-01T00:00:00+00:00");
    JsonNode created = call("POST", "/backfills", body, 200);
    long id = created.path("id").asLong();
    assertThat(created.path("is_paused").asBoolean()).isFalse();
    assertThat(call("PUT", "/backfills/" + id + "/pause", null, 200).path("is_paused").asBoolean())
        .isTrue();
    call("POST", "/backfills", body, 409);
    JsonNode list =
        call("GET", "/backfills?dag_id=daily&limit=10&offset=0&order_by=-id", null, 200);
    assertThat(list.path("total_entries").asInt()).isEqualTo(1);
    assertThat(
            call("PUT", "/backfills/" + id + "/unpause", null, 200).path("is_paused").asBoolean())
        .isFalse();
    JsonNode cancelled = call("PUT", "/backfills/" + id + "/cancel", null, 200);
    assertThat(cancelled.path("completed_at").isNull()).isFalse();
    call("PUT", "/backfills/" + id + "/unpause", null, 409);
    assertThat(call("GET", "/backfills/" + id, null, 200).path("is_paused").asBoolean()).isTrue();
    call("GET", "/backfills/999999", null, 404);
    call(
        "POST",
        "/backfills",
        "{\"dag_id\": \"daily\", \"from_date\": \"2024-02-01T00:00:00Z\","
            + " \"to_date\": \"2024-01-01T00:00:00Z\"}",
        400);
  }

  private void eventLogs(String runId) throws Exception {
    JsonNode patches =
        call(
            "GET",
            "/eventLogs?dag_id=etl&event=patch_dag_run&owner=admin&limit=100&order_by=-when",
            null,
            200);
    assertThat(patches.path("total_entries").asInt()).isGreaterThanOrEqualTo(3);
    JsonNode newest = patches.path("event_logs").get(0);
    assertThat(newest.path("run_id").asText()).isEqualTo(runId);
    assertThat(newest.path("extra").asText()).contains("\"status\":200");
    JsonNode paged = call("GET", "/eventLogs?limit=2&offset=1&order_by=event_log_id", null, 200);
    assertThat(paged.path("event_logs")).hasSize(2);
    assertThat(paged.path("event_logs").get(0).path("event_log_id").asLong())
        .isLessThan(paged.path("event_logs").get(1).path("event_log_id").asLong());
    JsonNode variables =
        call("GET", "/eventLogs?event_pattern=variable&excluded_events=patch_variable", null, 200);
    assertThat(variables.path("event_logs").findValuesAsText("event"))
        .contains("post_variable", "delete_variable")
        .doesNotContain("patch_variable");
    long id = newest.path("event_log_id").asLong();
    assertThat(call("GET", "/eventLogs/" + id, null, 200).path("event").asText())
        .isEqualTo("patch_dag_run");
    call("GET", "/eventLogs/999999999", null, 404);
  }

  private void monitorAndErrors() throws Exception {
    call("GET", "/monitor/health", null, 200);
    call("GET", "/version", null, 200);
    call("GET", "/config?section=web", null, 200);
    JsonNode errors = call("GET", "/importErrors?limit=10&order_by=filename", null, 200);
    assertThat(errors.path("total_entries").asInt()).isEqualTo(1);
    String id = errors.path("import_errors").get(0).path("import_error_id").asText();
    JsonNode one = call("GET", "/importErrors/" + id, null, 200);
    assertThat(one.path("filename").asText()).endsWith("broken.yaml");
    assertThat(api.call("GET", "/api/v2/version", null, 200).headers().firstValue("Deprecation"))
        .isEmpty();
    assertThat(raw("GET", "/api/v1/health", null).headers().firstValue("Deprecation")).isPresent();
  }
}
