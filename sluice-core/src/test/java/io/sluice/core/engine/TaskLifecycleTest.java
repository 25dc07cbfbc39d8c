package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.Sensor;
import io.sluice.api.TaskFailedException;
import io.sluice.api.TaskState;
import io.sluice.api.TriggerRule;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.tasks.ShellTaskType;
import io.sluice.core.testing.DagTestKit;
import io.sluice.core.testing.TestScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DagTestKit.class)
class TaskLifecycleTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void retriesWaitExactlyTheExponentialBackoffThenFail(TestScheduler<?> kit) {
    List<Instant> starts = new CopyOnWriteArrayList<>();
    Dag.Builder b = Dag.builder("retry");
    b.task(
            "flaky",
            ctx -> {
              starts.add(ctx.clock().instant());
              throw new IllegalStateException("boom " + ctx.tryNumber());
            })
        .retries(3, Duration.ofSeconds(10))
        .retryExponentialBackoff(Duration.ofSeconds(30));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("retry");
    assertThat(kit.taskInstance("retry", run.runId(), "flaky").state())
        .isEqualTo(TaskState.UP_FOR_RETRY);

    kit.advance(Duration.ofMinutes(5));
    assertThat(starts)
        .containsExactly(T0, T0.plusSeconds(10), T0.plusSeconds(30), T0.plusSeconds(60));
    TaskInstance ti = kit.taskInstance("retry", run.runId(), "flaky");
    assertThat(ti.state()).isEqualTo(TaskState.FAILED);
    assertThat(ti.tryNumber()).isEqualTo(4);
    assertThat(ti.note()).contains("boom 4");
    assertThat(kit.run("retry", run.runId()).state()).isEqualTo(DagRunState.FAILED);
    assertThat(kit.log("retry", run.runId(), "flaky", 2)).anyMatch(l -> l.contains("boom 2"));
    assertThat(kit.log("retry", run.runId(), "flaky", 3))
        .anyMatch(l -> l.contains("boom 3"))
        .noneMatch(l -> l.contains("boom 2"));
  }

  @Test
  void failWithoutRetryIgnoresRemainingTries(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("fatal");
    b.task(
            "t",
            ctx -> {
              throw new TaskFailedException("bad input");
            })
        .retries(5, Duration.ofSeconds(1));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("fatal");
    assertThat(kit.taskInstance("fatal", run.runId(), "t").state()).isEqualTo(TaskState.FAILED);
    assertThat(kit.taskInstance("fatal", run.runId(), "t").tryNumber()).isEqualTo(1);
  }

  @Test
  void sensorInRescheduleModeGivesBackItsSlotUntilTheConditionHolds(TestScheduler<?> kit) {
    List<Instant> pokes = new CopyOnWriteArrayList<>();
    Instant ready = T0.plusSeconds(95);
    Dag.Builder b = Dag.builder("sense");
    var wait =
        b.task(
            "wait",
            Sensor.of(
                Sensor.Mode.RESCHEDULE,
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                false,
                ctx -> {
                  pokes.add(ctx.clock().instant());
                  return !ctx.clock().instant().isBefore(ready);
                }));
    wait.then(b.task("after", ctx -> null));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("sense");
    TaskInstance waiting = kit.taskInstance("sense", run.runId(), "wait");
    assertThat(waiting.state()).isEqualTo(TaskState.UP_FOR_RESCHEDULE);
    assertThat(waiting.readyAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(kit.scheduler().inFlight()).isZero();

    kit.advance(Duration.ofMinutes(3));
    assertThat(pokes)
        .containsExactly(
            T0, T0.plusSeconds(30), T0.plusSeconds(60), T0.plusSeconds(90), T0.plusSeconds(120));
    TaskInstance done = kit.taskInstance("sense", run.runId(), "wait");
    assertThat(done.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(done.tryNumber()).isEqualTo(1);
    assertThat(kit.states("sense", run.runId())).containsEntry("after", TaskState.SUCCESS);
  }

  @Test
  void sensorTimeoutFailsOrSkipsWithSoftFail(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("never");
    b.task(
            "hard",
            Sensor.of(
                Sensor.Mode.RESCHEDULE,
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                false,
                ctx -> false))
        .retries(2);
    b.task(
        "soft",
        Sensor.of(
            Sensor.Mode.POKE, Duration.ofMinutes(1), Duration.ofMinutes(5), true, ctx -> false));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("never");
    kit.advance(Duration.ofMinutes(10));
    TaskInstance hard = kit.taskInstance("never", run.runId(), "hard");
    assertThat(hard.state()).isEqualTo(TaskState.FAILED);
    assertThat(hard.endDate()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(hard.tryNumber()).isEqualTo(1);
    assertThat(kit.taskInstance("never", run.runId(), "soft").state()).isEqualTo(TaskState.SKIPPED);
  }

  @Test
  void executionTimeoutInterruptsTheTryAndRetries(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("slow");
    b.task(
            "hang",
            ctx -> {
              ctx.sleep(Duration.ofHours(1));
              return "finished";
            })
        .executionTimeout(Duration.ofMinutes(5))
        .retries(1, Duration.ofMinutes(1));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("slow");
    kit.advance(Duration.ofMinutes(5));
    TaskInstance first = kit.taskInstance("slow", run.runId(), "hang");
    assertThat(first.state()).isEqualTo(TaskState.UP_FOR_RETRY);
    assertThat(first.note()).contains("execution_timeout");
    assertThat(first.endDate()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    kit.advance(Duration.ofMinutes(10));
    TaskInstance second = kit.taskInstance("slow", run.runId(), "hang");
    assertThat(second.state()).isEqualTo(TaskState.FAILED);
    assertThat(second.tryNumber()).isEqualTo(2);
    assertThat(second.endDate()).isEqualTo(T0.plus(Duration.ofMinutes(11)));
  }

  @Test
  void triggerRulesResolveFromUpstreamStates(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("rules");
    var ok = b.task("ok", ctx -> null);
    var bad =
        b.task(
            "bad",
            ctx -> {
              throw new IllegalStateException("x");
            });
    for (TriggerRule r : TriggerRule.values())
      b.task(r.value(), ctx -> null).triggerRule(r).after(ok, bad);
    var cleanup =
        b.task("after_all_success", ctx -> null)
            .after(b.task("downstream_of_failed", ctx -> null).after(bad));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("rules");
    Map<String, TaskState> s = kit.states("rules", run.runId());
    assertThat(s)
        .containsEntry("all_success", TaskState.UPSTREAM_FAILED)
        .containsEntry("all_failed", TaskState.SKIPPED)
        .containsEntry("all_done", TaskState.SUCCESS)
        .containsEntry("all_skipped", TaskState.SKIPPED)
        .containsEntry("one_success", TaskState.SUCCESS)
        .containsEntry("one_failed", TaskState.SUCCESS)
        .containsEntry("one_done", TaskState.SUCCESS)
        .containsEntry("none_failed", TaskState.UPSTREAM_FAILED)
        .containsEntry("none_failed_min_one_success", TaskState.UPSTREAM_FAILED)
        .containsEntry("none_skipped", TaskState.SUCCESS)
        .containsEntry("always", TaskState.SUCCESS)
        .containsEntry("downstream_of_failed", TaskState.UPSTREAM_FAILED)
        .containsEntry("after_all_success", TaskState.UPSTREAM_FAILED);
    assertThat(cleanup.taskId()).isEqualTo("after_all_success");
    assertThat(kit.run("rules", run.runId()).state()).isEqualTo(DagRunState.FAILED);
  }

  @Test
  void branchingFollowsTheChosenTaskAndSkipsTheOthers(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("branch");
    var pick = b.branch("pick", ctx -> List.of("left"));
    var left = b.task("left", ctx -> null);
    var right = b.task("right", ctx -> null);
    var belowRight = b.task("below_right", ctx -> null);
    var join = b.task("join", ctx -> null).triggerRule(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS);
    pick.then(left, right);
    right.then(belowRight);
    join.after(left, belowRight);
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("branch");
    assertThat(kit.states("branch", run.runId()))
        .containsEntry("left", TaskState.SUCCESS)
        .containsEntry("right", TaskState.SKIPPED)
        .containsEntry("below_right", TaskState.SKIPPED)
        .containsEntry("join", TaskState.SUCCESS);
    assertThat(kit.run("branch", run.runId()).state()).isEqualTo(DagRunState.SUCCESS);
  }

  @Test
  void shortCircuitSkipsEverythingDownstream(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("sc");
    var check = b.shortCircuit("check", ctx -> false);
    check
        .then(b.task("a", ctx -> null))
        .then(b.task("b", ctx -> null).triggerRule(TriggerRule.ALL_DONE));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("sc");
    assertThat(kit.states("sc", run.runId()))
        .containsEntry("check", TaskState.SUCCESS)
        .containsEntry("a", TaskState.SKIPPED)
        .containsEntry("b", TaskState.SKIPPED);
  }

  public record Weather(String city, double celsius) {}

  @Test
  void taskFlowPassesReturnValuesTypedToDownstreamTasks(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("flow");
    var fetch = b.task("fetch", ctx -> new Weather("Berlin", 3.5));
    var convert = b.task("convert", fetch, (ctx, w) -> w.celsius() * 9 / 5 + 32);
    b.task("report", convert, (ctx, f) -> String.format("%.1f", f));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("flow");
    assertThat(kit.states("flow", run.runId()).values()).containsOnly(TaskState.SUCCESS);
    String report =
        kit.store()
            .inTransaction(tx -> tx.xcom("flow", run.runId(), "report", "return_value"))
            .orElseThrow();
    assertThat(io.sluice.core.engine.XComCodec.decode(report, String.class)).isEqualTo("38.3");
  }

  @Test
  void shellTaskRendersTemplatesLogsOutputAndFailsOnExitCode(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("sh");
    b.task(
            "echo",
            new ShellTaskType.ShellTask(
                "echo day={{ ds }} run={{ run_id }} city=$CITY",
                Map.of("CITY", "{{ params.city }}"),
                null))
        .then(
            b.task(
                "fail", new ShellTaskType.ShellTask("echo about to fail; exit 3", Map.of(), null)));
    b.param("city", "Oslo");
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("sh");
    assertThat(kit.states("sh", run.runId()))
        .containsEntry("echo", TaskState.SUCCESS)
        .containsEntry("fail", TaskState.FAILED);
    assertThat(kit.log("sh", run.runId(), "echo", 1))
        .anyMatch(l -> l.endsWith("day=2024-01-01 run=" + run.runId() + " city=Oslo"));
    assertThat(kit.log("sh", run.runId(), "fail", 1))
        .anyMatch(l -> l.contains("about to fail"))
        .anyMatch(l -> l.contains("exited with code 3"));
  }

  @Test
  void taskWhoseExecutorStoppedHeartbeatingIsRetried(TestScheduler<?> kit) {
    Dag.Builder b = Dag.builder("zombie");
    b.task("t", ctx -> "ok").retries(1, Duration.ofSeconds(5));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("zombie");
    // simulate a task left running by an executor that died
    kit.store()
        .inTransaction(
            tx -> {
              TaskInstance ti = tx.taskInstance("zombie", run.runId(), "t").orElseThrow();
              tx.updateTaskInstance(
                  ti.toBuilder()
                      .state(TaskState.RUNNING)
                      .executorId("dead-executor")
                      .heartbeatAt(T0)
                      .build(),
                  TaskState.SUCCESS);
              return tx.updateRunState(
                  tx.run("zombie", run.runId())
                      .orElseThrow()
                      .withState(DagRunState.RUNNING, T0, null),
                  DagRunState.SUCCESS);
            });
    kit.advance(Duration.ofSeconds(59));
    assertThat(kit.taskInstance("zombie", run.runId(), "t").state()).isEqualTo(TaskState.RUNNING);
    kit.advance(Duration.ofSeconds(2));
    TaskInstance after = kit.taskInstance("zombie", run.runId(), "t");
    assertThat(after.note()).contains("dead-executor");
    kit.advance(Duration.ofSeconds(10));
    assertThat(kit.taskInstance("zombie", run.runId(), "t").state()).isEqualTo(TaskState.SUCCESS);
    assertThat(kit.taskInstance("zombie", run.runId(), "t").tryNumber()).isEqualTo(2);
  }

  @Test
  void clearingAFailedTaskRunsItAgain(TestScheduler<?> kit) {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    Dag.Builder b = Dag.builder("clear");
    b.task(
            "t",
            ctx -> {
              if (calls.incrementAndGet() == 1) throw new IllegalStateException("first");
              return null;
            })
        .then(b.task("u", ctx -> null));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("clear");
    assertThat(kit.run("clear", run.runId()).state()).isEqualTo(DagRunState.FAILED);
    assertThat(kit.scheduler().runs().clear("clear", run.runId(), java.util.Set.of("t"), true))
        .isEqualTo(2);
    kit.runUntilIdle();
    assertThat(kit.states("clear", run.runId()))
        .containsEntry("t", TaskState.SUCCESS)
        .containsEntry("u", TaskState.SUCCESS);
    assertThat(kit.taskInstance("clear", run.runId(), "t").tryNumber()).isEqualTo(2);
    assertThat(kit.run("clear", run.runId()).state()).isEqualTo(DagRunState.SUCCESS);
  }
}
