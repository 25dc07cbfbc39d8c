package io.sluice.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskFailedException;
import io.sluice.api.TaskState;
import io.sluice.core.testing.DagTestKit;
import io.sluice.core.testing.TestScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DagTestKit.class)
class DagRunServiceTest {
  private static Dag etl(boolean failLoad) {
    Dag.Builder b = Dag.builder("etl").startDate(LocalDate.of(2024, 1, 1));
    b.task("extract", ctx -> 1)
        .then(
            b.task(
                "load",
                ctx -> {
                  if (failLoad) throw new TaskFailedException("no");
                  return null;
                }));
    return b.build();
  }

  @Test
  void triggerCreatesAQueuedRunThatTheSchedulerRuns(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(etl(false));
    DagRunService runs = kit.scheduler().runs();
    DagRunView run = runs.trigger("etl", "{\"city\":\"Oslo\"}", null);
    assertThat(run.state()).isEqualTo("queued");
    assertThat(run.conf()).containsEntry("city", "Oslo");
    kit.runUntilIdle();
    assertThat(runs.run("etl", run.runId()).runState()).isEqualTo(DagRunState.SUCCESS);
    assertThat(runs.taskInstances("etl", "latest"))
        .extracting(TaskInstanceView::state)
        .containsOnly("success");
  }

  @Test
  void refusesWhatCannotBeDoneWithAReason(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(etl(false));
    DagRunService runs = kit.scheduler().runs();
    assertThatThrownBy(() -> runs.trigger("nope", null, null))
        .extracting(e -> ((ServiceException) e).reason())
        .isEqualTo(ServiceException.Reason.NOT_FOUND);
    assertThatThrownBy(() -> runs.trigger("etl", "[1]", null))
        .extracting(e -> ((ServiceException) e).reason())
        .isEqualTo(ServiceException.Reason.INVALID);
    Instant at = Instant.parse("2024-02-01T00:00:00Z");
    runs.trigger("etl", null, at);
    assertThatThrownBy(() -> runs.trigger("etl", null, at))
        .extracting(e -> ((ServiceException) e).reason())
        .isEqualTo(ServiceException.Reason.CONFLICT);
    assertThatThrownBy(() -> runs.trigger("etl", null, Instant.parse("+99999-01-01T00:00:00Z")))
        .extracting(e -> ((ServiceException) e).reason())
        .isEqualTo(ServiceException.Reason.INVALID);
  }

  @Test
  void marksRunsAndTasksAndDeletesRuns(TestScheduler<?> kit) throws Exception {
    kit.scheduler().dagBag().add(etl(true));
    DagRunService runs = kit.scheduler().runs();
    String runId = runs.trigger("etl", null, null).runId();
    kit.runUntilIdle();
    assertThat(runs.await("etl", runId, Duration.ofSeconds(5)).runState())
        .isEqualTo(DagRunState.FAILED);

    runs.markTask("etl", runId, "load", TaskState.SUCCESS);
    kit.runUntilIdle();
    assertThat(kit.run("etl", runId).state()).isEqualTo(DagRunState.SUCCESS);

    assertThat(runs.markRun("etl", runId, DagRunState.FAILED).state()).isEqualTo("failed");
    assertThat(runs.clear("etl", runId, Set.of("load"), false)).isEqualTo(1);
    assertThat(kit.taskInstance("etl", runId, "load").state()).isEqualTo(TaskState.NONE);

    runs.deleteRun("etl", runId);
    assertThat(kit.store().<Optional<?>>inTransaction(tx -> tx.run("etl", runId))).isEmpty();
    assertThatThrownBy(() -> runs.deleteRun("etl", runId)).isInstanceOf(ServiceException.class);
  }

  @Test
  void pausingIsStoredAndShownInTheView(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(etl(false));
    kit.runUntilIdle();
    DagRunService runs = kit.scheduler().runs();
    assertThat(runs.setPaused("etl", true).paused()).isTrue();
    assertThat(runs.dag("etl").toMap()).containsEntry("is_paused", true);
    assertThat(runs.setPaused("etl", false).paused()).isFalse();
  }
}
