package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.testing.DagTestKit;
import io.sluice.core.testing.TestScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DagTestKit.class)
class SchedulingSemanticsTest {
  static Instant t(String s) {
    return Instant.parse(s);
  }

  static Dag daily(String id, boolean catchup) {
    Dag.Builder b =
        Dag.builder(id)
            .schedule("@daily")
            .startDate(LocalDate.of(2024, 1, 1))
            .catchup(catchup)
            .maxActiveRuns(2);
    b.task("a", ctx -> null).then(b.task("b", ctx -> null));
    return b.build();
  }

  @Test
  void catchupCreatesOneRunPerCompleteIntervalWithItsDataInterval(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily("daily", true));
    kit.advanceTo(t("2024-01-04T06:00:00Z"));

    List<DagRun> runs = kit.runs("daily");
    assertThat(runs).hasSize(3);
    for (int i = 0; i < 3; i++) {
      DagRun r = runs.get(i);
      Instant start = t("2024-01-01T00:00:00Z").plus(Duration.ofDays(i));
      assertThat(r.logicalDate()).isEqualTo(start);
      assertThat(r.dataIntervalStart()).isEqualTo(start);
      assertThat(r.dataIntervalEnd()).isEqualTo(start.plus(Duration.ofDays(1)));
      assertThat(r.runType()).isEqualTo(RunType.SCHEDULED);
      assertThat(r.runId()).isEqualTo("scheduled__" + start.toString().replace("Z", "+00:00"));
      assertThat(r.state()).isEqualTo(DagRunState.SUCCESS);
      assertThat(r.startDate()).isAfterOrEqualTo(r.dataIntervalEnd());
    }
  }

  @Test
  @DagTestKit.StartAt("2024-01-10T05:00:00Z")
  void withoutCatchupOnlyTheLatestIntervalRuns(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily("daily", false));
    kit.runUntilIdle();
    assertThat(kit.runs("daily"))
        .extracting(DagRun::logicalDate)
        .containsExactly(t("2024-01-09T00:00:00Z"));
    kit.advanceTo(t("2024-01-11T00:00:01Z"));
    assertThat(kit.runs("daily"))
        .extracting(DagRun::logicalDate)
        .containsExactly(t("2024-01-09T00:00:00Z"), t("2024-01-10T00:00:00Z"));
  }

  @Test
  void maxActiveRunsLimitsRunsThatRunAtOnce(TestScheduler<?> kit) {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Dag.Builder b =
        Dag.builder("slow")
            .schedule("@hourly")
            .startDate(LocalDate.of(2024, 1, 1))
            .maxActiveRuns(2);
    b.task(
        "work",
        ctx -> {
          peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          ctx.sleep(Duration.ofHours(3));
          concurrent.decrementAndGet();
          return null;
        });
    kit.scheduler().dagBag().add(b.build());
    kit.advanceTo(t("2024-01-01T10:00:00Z"));
    assertThat(peak.get()).isEqualTo(2);
    assertThat(kit.runs("slow").stream().filter(r -> r.state() == DagRunState.RUNNING)).hasSize(2);
  }

  @Test
  void pausedDagGetsNoRunsUntilUnpaused(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily("daily", true));
    kit.scheduler().syncDags();
    kit.store().inTransaction(tx -> tx.setPaused("daily", true));
    kit.advanceTo(t("2024-01-03T01:00:00Z"));
    assertThat(kit.runs("daily")).isEmpty();
    kit.store().inTransaction(tx -> tx.setPaused("daily", false));
    kit.runUntilIdle();
    assertThat(kit.runs("daily")).hasSize(2);
  }

  @Test
  void manualTriggerPassesConfAsParams(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("manual").param("city", "Berlin").param("days", 1);
    b.task(
        "echo",
        ctx ->
            ctx.params().get("city")
                + "/"
                + ctx.params().get("days")
                + "/"
                + ctx.render("{{ params.city }}"));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("manual", "{\"city\":\"Paris\"}");
    assertThat(run.runType()).isEqualTo(RunType.MANUAL);
    assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
    String value =
        kit.store()
            .inTransaction(tx -> tx.xcom("manual", run.runId(), "echo", "return_value"))
            .orElseThrow();
    assertThat(io.sluice.core.engine.XComCodec.decode(value, String.class))
        .isEqualTo("Paris/1/Paris");
  }

  @Test
  void dependsOnPastWaitsForThePreviousRunOfTheSameTask(TestScheduler<?> kit) {
    AtomicInteger calls = new AtomicInteger();
    Dag.Builder b =
        Dag.builder("dop").schedule("@daily").startDate(LocalDate.of(2024, 1, 1)).maxActiveRuns(3);
    b.task(
            "flaky",
            ctx -> {
              if (calls.incrementAndGet() == 1) throw new IllegalStateException("first run fails");
              return null;
            })
        .dependsOnPast(true)
        .retries(0);
    kit.scheduler().dagBag().add(b.build());
    kit.advanceTo(t("2024-01-04T00:00:00Z"));
    List<DagRun> runs = kit.runs("dop");
    assertThat(runs).hasSize(3);
    assertThat(kit.states("dop", runs.get(0).runId())).containsEntry("flaky", TaskState.FAILED);
    assertThat(kit.states("dop", runs.get(1).runId())).containsEntry("flaky", TaskState.NONE);
    assertThat(kit.states("dop", runs.get(2).runId())).containsEntry("flaky", TaskState.NONE);
    assertThat(calls.get()).isEqualTo(1);
  }
}
