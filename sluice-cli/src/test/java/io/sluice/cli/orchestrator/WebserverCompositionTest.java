package io.sluice.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DagRunState;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.model.DagRun;
import io.sluice.web.WebServer;
import io.sluice.web.WebSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice webserver}'s composition: the web server over a client's services, with no engine
 * in its process; a trigger over the REST API is written to the metadata database for the scheduler
 * process, and stays queued until one runs.
 */
class WebserverCompositionTest {
  private static final String PASSWORD = "webserver-composition-pw";

  @TempDir Path home;

  @Test
  void theWebServerTriggersThroughTheClientServicesAndRunsNoEngine() throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("live_dag.yaml"),
        "dag_id: live_dag\ntasks:\n  - id: only_task\n    type: noop\n");
    SluiceConfig config =
        SluiceConfig.defaults()
            .with(Settings.DATA_DIR, home.resolve("data").toString())
            .with(Settings.DB_URL, "jdbc:h2:file:" + home.resolve("db/sluice") + ";MODE=PostgreSQL")
            .with(Settings.DB_PORT, Integer.toString(unusedPort()))
            .with(Settings.DAGS_FOLDER, dags.toString())
            // why: no local stack here; the pipeline page reports Kafka and Cassandra down
            .with(Settings.KAFKA_BOOTSTRAP, "127.0.0.1:1")
            .with(Settings.CASSANDRA_CONTACT_POINTS, "127.0.0.1:1")
            .with(WebSettings.WEB_PORT, Integer.toString(unusedPort()))
            .with(WebSettings.ADMIN_PASSWORD, PASSWORD);
    // the running scheduler's sync
    try (Orchestrator scheduler = Orchestrator.scheduling(config)) {
      scheduler.scheduler().syncDags();
    }

    try (Orchestrator o = Orchestrator.forWebServer(config);
        WebServer web = o.startWebServer()) {
      assertThatThrownBy(o::scheduler).isInstanceOf(IllegalStateException.class);
      HttpResponse<String> health = send(web, "GET", "/health", null);
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"scheduler\":{\"status\":\"unknown\"}");

      HttpResponse<String> trigger = send(web, "POST", "/api/v1/dags/live_dag/dagRuns", "{}");
      assertThat(trigger.statusCode()).as(trigger.body()).isEqualTo(200);
      List<DagRun> runs = o.store.inTransaction(tx -> tx.runs("live_dag", 10));
      assertThat(runs).singleElement().extracting(DagRun::state).isEqualTo(DagRunState.QUEUED);
      assertThat(trigger.body()).contains(runs.get(0).runId());
    }
  }

  private static HttpResponse<String> send(WebServer web, String method, String path, String body)
      throws Exception {
    String auth =
        Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
            .header("Authorization", "Basic " + auth);
    if (body != null) b.header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int unusedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
