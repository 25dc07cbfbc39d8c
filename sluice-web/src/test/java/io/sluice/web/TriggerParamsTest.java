package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.web.api.Json;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A trigger over the REST API whose conf or logical date a DAG's params refuse creates no run. */
class TriggerParamsTest {
  static WebFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = WebFixture.start(TestDags.ranged());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private void refused(String body, String param) throws Exception {
    HttpResponse<String> r = f.send("POST", "/api/v1/dags/ranged/dagRuns", "op", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode error = Json.parse(r.body());
    assertThat(error.path("param").asText()).isEqualTo(param);
    assertThat(error.path("error").asText()).contains("'" + param + "'");
    assertThat(f.kit.runs("ranged")).as("runs after a refused trigger").isEmpty();
  }

  @Test
  void badParamsAreRefusedWith400NamingTheParamAndNoRunExistsGoodOnesRun() throws Exception {
    refused("{\"conf\": {\"start_date\": \"2024-13-45\"}}", "start_date");
    refused("{\"conf\": {\"end_date\": \"2023-12-31\"}}", "end_date");
    refused("{\"conf\": {\"count\": 500}}", "count");
    refused("{\"conf\": {\"count\": \"ten\"}}", "count");
    HttpResponse<String> farOff =
        f.send("POST", "/api/v1/dags/ranged/dagRuns", "op", "{\"logical_date\": \"+99999-01-01\"}");
    assertThat(farOff.statusCode()).isEqualTo(400);
    assertThat(Json.parse(farOff.body()).path("error").asText()).contains("'logical_date'");
    assertThat(f.kit.runs("ranged")).isEmpty();

    // the same DAG with good params runs
    f.kit.advance(java.time.Duration.ofMinutes(1));
    JsonNode run =
        f.postJson(
            "/api/v1/dags/ranged/dagRuns",
            "op",
            "{\"conf\": {\"start_date\": \"2024-02-01\", \"end_date\": \"2024-02-03\", \"count\": 7}}");
    f.kit.runUntilIdle();
    assertThat(f.kit.run("ranged", run.path("dag_run_id").asText()).state().dbValue())
        .isEqualTo("success");
  }
}
