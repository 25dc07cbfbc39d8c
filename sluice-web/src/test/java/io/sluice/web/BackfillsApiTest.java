package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.web.api.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/backfills} on a real server over the test kit's scheduler: the runs stop and
 * resume as the backfill's record says.
 */
class BackfillsApiTest {
  static WebFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = WebFixture.start(TestDags.slowDaily());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private static List<String> runStates(long id) throws Exception {
    JsonNode dates = f.getJson("/api/v1/backfills/" + id + "/dates", "viewer");
    return dates.path("dates").findValuesAsText("state");
  }

  private static JsonNode put(long id, String op) throws Exception {
    HttpResponse<String> r = f.send("PUT", "/api/v1/backfills/" + id + "/" + op, "op", "");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.parse(r.body());
  }

  @Test
  void pauseUnpauseAndCancelStopAndResumeTheRuns() throws Exception {
    JsonNode created =
        f.postJson(
            "/api/v1/backfills",
            "op",
            "{\"dag_id\": \"slow_daily\", \"from_date\": \"2024-01-01\","
                + " \"to_date\": \"2024-01-05\", \"max_active_runs\": 1}");
    long id = created.path("id").asLong();
    assertThat(created.path("state").asText()).isEqualTo("running");
    f.kit.runUntilIdle();
    assertThat(runStates(id))
        .containsExactly("running", "pending", "pending", "pending", "pending");

    assertThat(put(id, "pause").path("is_paused").asBoolean()).isTrue();
    f.kit.advance(Duration.ofMinutes(5));
    assertThat(runStates(id))
        .containsExactly("success", "pending", "pending", "pending", "pending");

    assertThat(put(id, "unpause").path("state").asText()).isEqualTo("running");
    f.kit.advance(Duration.ofSeconds(90));
    assertThat(runStates(id))
        .containsExactly("success", "success", "running", "pending", "pending");

    JsonNode cancelled = put(id, "cancel");
    assertThat(cancelled.path("state").asText()).isEqualTo("cancelled");
    assertThat(cancelled.path("completed_at").isNull()).isFalse();
    f.kit.advance(Duration.ofMinutes(10));
    assertThat(runStates(id))
        .containsExactly("success", "success", "success", "pending", "pending");
    assertThat(f.send("PUT", "/api/v1/backfills/" + id + "/unpause", "op", "").statusCode())
        .isEqualTo(409);
    assertThat(
            f.getJson("/api/v1/backfills/" + id, "viewer").path("progress").path("success").asInt())
        .isEqualTo(3);
  }

  @Test
  void aBadRequestIsRefusedNamingTheFieldAndAViewerMayNotCreate() throws Exception {
    HttpResponse<String> r =
        f.send(
            "POST",
            "/api/v1/backfills",
            "op",
            "{\"dag_id\": \"slow_daily\", \"from_date\": \"2024-01-05\", \"to_date\": \"2024-01-01\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Json.parse(r.body()).path("param").asText()).isEqualTo("to_date");
    assertThat(
            f.send(
                    "POST",
                    "/api/v1/backfills",
                    "viewer",
                    "{\"dag_id\": \"slow_daily\", \"from_date\": \"2024-01-01\", \"to_date\": \"2024-01-02\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(f.get("/api/v1/backfills/999", "viewer").statusCode()).isEqualTo(404);
  }
}
