package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.RescheduleException;
import io.sluice.api.TaskSkippedException;
import io.sluice.api.TaskSpec;
import io.sluice.api.TaskState;
import io.sluice.api.XCom;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.schedule.DataInterval;
import io.sluice.core.schedule.Timetables;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.time.Sleeper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Runs one task once on the calling thread, ignoring its dependencies (Airflow's {@code tasks
 * test}). The run, task instance, XComs and log are written to the given store, normally a
 * throw-away in-memory database.
 */
public final class TaskTester {
  /** What happened. */
  public record Result(TaskState state, Object returnValue, String error, List<String> log) {}

  private TaskTester() {}

  public static Result run(
      Dag dag,
      String taskId,
      Instant logicalDate,
      MetadataStore store,
      Clock clock,
      ConnectionResolver connections) {
    TaskSpec spec = dag.task(taskId);
    DataInterval iv =
        dag.schedule() == null
            ? new DataInterval(logicalDate, logicalDate)
            : Timetables.parse(dag.schedule(), dag.timezone()).manualInterval(logicalDate);
    Instant now = clock.instant();
    DagRun run =
        new DagRun(
            dag.dagId(),
            RunType.MANUAL.runId(logicalDate),
            logicalDate,
            iv.start(),
            iv.end(),
            DagRunState.RUNNING,
            RunType.MANUAL,
            "{}",
            now,
            now,
            null);
    TaskInstance ti =
        TaskInstance.create(
                dag.dagId(),
                run.runId(),
                taskId,
                spec.retries(),
                spec.priorityWeight(),
                spec.pool(),
                spec.poolSlots())
            .toBuilder()
            .state(TaskState.RUNNING)
            .tryNumber(1)
            .startDate(now)
            .firstAttemptStart(now)
            .build();
    store.inTransaction(
        tx -> {
          tx.insertRun(run);
          tx.insertTaskInstances(List.of(ti));
          return null;
        });
    BufferedTaskLog log = new BufferedTaskLog(store, ti, clock);
    RuntimeTaskContext ctx =
        new RuntimeTaskContext(
            ti, run, dag.params(), store, connections, clock, Sleeper.SYSTEM, log, System.getenv());
    TaskState state;
    Object value = null;
    String error = null;
    try {
      value = spec.task().execute(ctx);
      state = TaskState.SUCCESS;
      if (value != null) {
        String encoded = XComCodec.encode(value);
        store.inTransaction(
            tx -> {
              tx.putXCom(dag.dagId(), run.runId(), taskId, XCom.RETURN_VALUE, encoded);
              return null;
            });
      }
    } catch (TaskSkippedException e) {
      state = TaskState.SKIPPED;
      error = e.getMessage();
    } catch (RescheduleException e) {
      state = TaskState.UP_FOR_RESCHEDULE;
      error = e.getMessage();
    } catch (Exception e) {
      state = TaskState.FAILED;
      error = String.valueOf(e);
      log.error("task failed", e);
    }
    log.flush();
    TaskState finalState = state;
    store.inTransaction(
        tx ->
            tx.updateTaskInstance(
                ti.toBuilder().state(finalState).endDate(clock.instant()).build(),
                TaskState.RUNNING));
    List<String> lines = store.inTransaction(tx -> tx.readLog(dag.dagId(), run.runId(), taskId, 1));
    return new Result(state, value, error, lines);
  }
}
