package io.sluice.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.SluiceCommand;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  private Run sluice(Map<String, String> env, String... args) throws Exception {
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SluiceCommand.class.getName());
    command.addAll(List.of(args));
    var pb = new ProcessBuilder(command);
    pb.environment().put("SLUICE_KAFKA_BOOTSTRAP", stack.kafkaBootstrap());
    pb.environment().put("RANDOMUSER_URL", stack.simulatorUrl() + "/api/");
    pb.environment().put("BASE_URL", stack.simulatorUrl() + "/v1/forecast");
    pb.environment().put("SLUICE_DATA_DIR", dataDir.toString());
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dataDir, "out", ".txt");
    Path err = Files.createTempFile(dataDir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("sluice " + String.join(" ", args) + " did not finish");
    }
    return new Run(p.exitValue(), read(out), read(err));
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  @Test
  void ingestUsersPrintsASummaryAndConsumePrintsOneJsonValuePerLine() throws Exception {
    Run ingest =
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

    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    JsonNode summary = JSON.readTree(ingest.out()).get(0);
    assertThat(summary.get("fetched").asLong()).isEqualTo(700);
    assertThat(summary.get("published").asLong()).isEqualTo(700);
    assertThat(summary.get("dlq").asLong()).isZero();
    assertThat(summary.get("seed").asText()).isEqualTo("cli-it");
    String runId = summary.get("run_id").asText();

    Run consume =
        sluice(
            Map.of(), "topics", "consume", "users_created", "--from-beginning", "--timeout", "2");
    assertThat(consume.exitCode()).as(consume.err()).isZero();
    List<JsonNode> mine = new ArrayList<>();
    for (String line : consume.lines()) {
      JsonNode user = JSON.readTree(line);
      if (user.get("run_id").asText().equals(runId)) mine.add(user);
    }
    assertThat(mine).hasSize(700);
    assertThat(mine.get(0).get("post_code").asText()).matches("[0-9a-f]{64}");

    Run group1 =
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
    Run group2 =
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
    Run run =
        sluice(
            Map.of("RANDOMUSER_URL", stack.simulatorUrl() + "/nope/"),
            "ingest",
            "users",
            "--count",
            "10");

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err())
        .contains("error: randomuser answered with an error (HTTP 404): Not found");
  }

  @Test
  void ingestWeatherBackfillAndDescribeTheTopic() throws Exception {
    Run ingest =
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

    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    JsonNode summary = JSON.readTree(ingest.out()).get(0);
    assertThat(summary.get("published").asLong()).isEqualTo(2 * 2 * 24 + 2 * 2);

    Run describe = sluice(Map.of(), "topics", "describe", "weather.hourly");
    assertThat(describe.exitCode()).as(describe.err()).isZero();
    assertThat(describe.out()).contains("PARTITION").contains("min.insync.replicas=1");

    Run list = sluice(Map.of(), "topics", "list");
    assertThat(list.out())
        .contains("weather.daily")
        .contains("users_created")
        .contains("sluice.dlq");
  }
}
