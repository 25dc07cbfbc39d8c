package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aBenchmarkWithoutRunLogsKeepsItsMetricsFromThePreviousReport(@TempDir Path dir)
      throws Exception {
    Path raw = Files.createDirectories(dir.resolve("raw/idle"));
    Files.writeString(
        raw.resolve("run-1.log"),
        "# command: bench/idle-cpu.sh 300 60\n"
            + "BENCH idle_cpu_percent=4.5\n"
            + "BENCH harness quick=0 run=1 exit=0 load_before=0.4\n");
    ObjectNode previous =
        (ObjectNode)
            JSON.readTree(
                "{\"metrics\": {"
                    + "\"chain40_seconds_embedded\": {\"median\": 0.0242, \"runs\": [0.0242],"
                    + " \"measured_at\": \"2026-12-07T03:00:00Z\", \"quick\": false},"
                    + "\"idle_cpu_percent\": {\"median\": 6.43, \"runs\": [6.43]}}}");

    ObjectNode report = Report.build(dir.resolve("raw"), dir, 1, false, previous);

    var chain = report.path("metrics").path("chain40_seconds_embedded");
    assertThat(chain.path("median").asDouble()).isEqualTo(0.0242);
    assertThat(chain.path("measured_at").asText()).isEqualTo("2026-12-07T03:00:00Z");
    assertThat(chain.path("carried_over").asBoolean()).isTrue();
    var idle = report.path("metrics").path("idle_cpu_percent");
    assertThat(idle.path("median").asDouble()).isEqualTo(4.5);
    assertThat(idle.path("target_met").asBoolean()).isTrue();
    assertThat(idle.has("carried_over")).isFalse();
    var ingest = report.path("metrics").path("ingest_vs_bare_pipeline_ratio");
    assertThat(ingest.path("median").isNull()).isTrue();
  }
}
