package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunLogTest {
  @Test
  void readsLabelledAndPlainBenchLinesAndTheCommand() {
    RunLog log =
        RunLog.parse(
            Path.of("run-1.log"),
            List.of(
                "# command: bench/orchestrator-chain.sh both 30 40",
                "chain of 40 no-op tasks ...",
                "BENCH h2 tasks=40 seconds_p50=0.149 handoff_ms_p99=43.0",
                "BENCH postgres tasks=40 seconds_p50=0.253",
                "BENCH rows=20000 ratio=0.15 latency_ms_p50=512 p99=1,204"
                    + " lake={\"numInputRows\": 3, \"x=y\"}",
                "BENCH harness quick=1 load_before=2.5 exit=0"),
            Instant.EPOCH);

    assertThat(log.command()).isEqualTo("bench/orchestrator-chain.sh both 30 40");
    assertThat(log.values())
        .containsEntry("h2.seconds_p50", 0.149)
        .containsEntry("h2.handoff_ms_p99", 43.0)
        .containsEntry("postgres.seconds_p50", 0.253)
        .containsEntry("ratio", 0.15)
        .containsEntry("p99", 1204.0)
        .containsEntry("harness.load_before", 2.5)
        .doesNotContainKey("lake");
  }

  @Test
  void theStreamBenchmarksRealtimeLineGivesTheRealtimeLatencies() {
    RunLog log =
        RunLog.parse(
            Path.of("run-1.log"),
            List.of(
                "BENCH avro rows=20000 ratio=0.41 latency_ms_p50=290 p99=672",
                "BENCH realtime latency_ms_p50=12 p99=48 max=210 n=10000 load_1m=3.1"),
            Instant.EPOCH);
    Metric p99 =
        Metric.ALL.stream()
            .filter(m -> m.name().equals("e2e_latency_ms_p99_realtime"))
            .findFirst()
            .orElseThrow();

    assertThat(p99.benchmark()).isEqualTo("stream");
    assertThat(log.value(p99.key())).contains(48.0);
    assertThat(p99.target()).hasToString("< 100");
    assertThat(log.value("avro.p99")).contains(672.0);
  }

  @Test
  void medianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
    Report.Stats s = Report.Stats.of(List.of(4.0, 1.0, 3.0, 2.0));
    assertThat(s).isEqualTo(new Report.Stats(2.5, 1.0, 4.0));
    assertThat(Report.Stats.of(List.of(5.0, 1.0, 9.0)).median()).isEqualTo(5.0);
  }

  @Test
  void targetsCompareTheMedianWithTheirBound() {
    assertThat(new Metric.Target("<=", 0.2).met(0.2)).isTrue();
    assertThat(new Metric.Target("<", 100).met(100)).isFalse();
    assertThat(new Metric.Target(">=", 0.8).met(0.04)).isFalse();
    assertThat(new Metric.Target("<=", 0.2)).hasToString("<= 0.2");
    assertThat(Metric.format(0.14999)).isEqualTo("0.15");
    assertThat(Metric.format(10_000)).isEqualTo("10,000");
  }
}
