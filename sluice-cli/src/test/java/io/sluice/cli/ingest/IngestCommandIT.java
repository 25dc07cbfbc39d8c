package io.sluice.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.SluiceProcess;
import io.sluice.cli.SluiceProcess.Result;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@code sluice} command as a user would, in its own JVM, against the local stack. */
@SluiceStackTest(services = {Service.KAFKA, Service.API_SIMULATOR})
class IngestCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LocalStack stack;
  @TempDir Path dataDir;

  IngestCommandIT(LocalStack stack) {
    this.stack = stack;
  }

  private Result sluice(Map<String, String> env, String... args) throws Exception {
    return new SluiceProcess(dataDir)
        .env("SLUICE_KAFKA_BOOTSTRAP", stack.kafkaBootstrap())
        .env("RANDOMUSER_URL", stack.simulatorUrl() + "/api/")
        .env("BASE_URL", stack.simulatorUrl() + "/v1/forecast")
        .env("SLUICE_DATA_DIR", dataDir.toString())
        .run(env, null, args);
  }

  @Test
  void ingestUsersPrintsASummaryAndConsumePrintsOneJsonValuePerLine() throws Exception {
    Result ingest =
        sluice(
            Map.of(),
            "ingest",
            "users",
            "--count",
            "700",
            "--batch",
            "300",
            "--seed",
            "cli-it",
            "--output",
            "json");

    assertThat(ingest.exit()).as(ingest.err()).isZero();
    JsonNode summary = JSON.readTree(ingest.out()).get(0);
    assertThat(summary.get("fetched").asLong()).isEqualTo(700);
    assertThat(summary.get("published").asLong()).isEqualTo(700);
    assertThat(summary.get("dlq").asLong()).isZero();
    assertThat(summary.get("seed").asText()).isEqualTo("cli-it");
    String runId = summary.get("run_id").asText();

    Result consume =
        sluice(
            Map.of(), "topics", "consume", "users_created", "--from-beginning", "--timeout", "2");
    assertThat(consume.exit()).as(consume.err()).isZero();
    List<JsonNode> mine = new ArrayList<>();
    for (String line : consume.lines()) {
      JsonNode user = JSON.readTree(line);
      if (user.get("run_id").asText().equals(runId)) mine.add(user);
    }
    assertThat(mine).hasSize(700);
    assertThat(mine.get(0).get("post_code").asText()).matches("[0-9a-f]{64}");

    Result group1 =
        sluice(
            Map.of(),
            "topics",
            "consume",
            "users_created",
            "--from-beginning",
            "--max",
            "300",
            "--group",
            "g1");
    Result group2 =
        sluice(
            Map.of(),
            "topics",
            "consume",
            "users_created",
            "--from-beginning",
            "--max",
            "300",
            "--group",
            "g1");
    assertThat(group1.lines()).hasSize(300);
    assertThat(group2.lines()).hasSize(300).doesNotContainAnyElementsOf(group1.lines());
  }

  @Test
  void anErrorBodyExitsNonZeroWithOneClearLine() throws Exception {
    Result run =
        sluice(
            Map.of("RANDOMUSER_URL", stack.simulatorUrl() + "/nope/"),
            "ingest",
            "users",
            "--count",
            "10");

    assertThat(run.exit()).isNotZero();
    assertThat(run.err())
        .contains("error: randomuser answered with an error (HTTP 404): Not found");
  }

  @Test
  void ingestWeatherBackfillAndDescribeTheTopic() throws Exception {
    Result ingest =
        sluice(
            Map.of(),
            "ingest",
            "weather",
            "--latitudes",
            "52.52,48.85",
            "--longitudes",
            "13.41,2.35",
            "--hourly",
            "temperature_2m,precipitation",
            "--daily",
            "temperature_2m_max",
            "--from",
            "2024-03-01",
            "--to",
            "2024-03-02",
            "--output",
            "json");

    assertThat(ingest.exit()).as(ingest.err()).isZero();
    JsonNode summary = JSON.readTree(ingest.out()).get(0);
    assertThat(summary.get("published").asLong()).isEqualTo(2 * 2 * 24 + 2 * 2);

    Result describe = sluice(Map.of(), "topics", "describe", "weather.hourly");
    assertThat(describe.exit()).as(describe.err()).isZero();
    assertThat(describe.out()).contains("PARTITION").contains("min.insync.replicas=1");

    Result list = sluice(Map.of(), "topics", "list");
    assertThat(list.out())
        .contains("weather.daily")
        .contains("users_created")
        .contains("sluice.dlq");
  }
}
