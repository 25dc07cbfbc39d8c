package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.StoreTransaction;
import java.util.Set;

/**
 * Clearing task instances so that they run again (Airflow's {@code tasks clear}), shared by the
 * clear operation and by backfills that reprocess an existing run.
 */
public final class RunClearing {
  private RunClearing() {}

  /**
   * Clears the run's task instances in {@code taskIds} (all when empty): finished ones go back to
   * none with their tries renewed, running ones to restarting; a finished run is queued again.
   *
   * @param dag the DAG's definition (its retries), or null when it is not loaded
   * @return how many task instances were cleared
   */
  public static int clear(StoreTransaction tx, Dag dag, DagRun run, Set<String> taskIds) {
    int count = 0;
    for (TaskInstance ti : tx.taskInstances(run.dagId(), run.runId())) {
      if (!taskIds.isEmpty() && !taskIds.contains(ti.taskId())) continue;
      if (clearOne(tx, dag, ti)) count++;
    }
    if (count > 0) requeue(tx, run);
    return count;
  }

  /** A finished run goes back to queued, so that the scheduler evaluates it again. */
  public static void requeue(StoreTransaction tx, DagRun run) {
    if (run.state().isFinished())
      tx.updateRunState(run.withState(DagRunState.QUEUED, null, null), run.state());
  }

  private static boolean clearOne(StoreTransaction tx, Dag dag, TaskInstance ti) {
    int retries =
        dag != null && dag.tasks().containsKey(ti.taskId())
            ? dag.task(ti.taskId()).retries()
            : ti.maxTries();
    TaskInstance.Builder b =
        ti.toBuilder()
            .maxTries(ti.tryNumber() + retries)
            .readyAt(null)
            .firstAttemptStart(null)
            .rescheduled(false)
            .note(null);
    TaskInstance next =
        ti.state() == TaskState.RUNNING
            ? b.state(TaskState.RESTARTING).build()
            : b.state(TaskState.NONE).endDate(null).executorId(null).build();
    if (!tx.updateTaskInstance(next, ti.state())) return false;
    if (next.state() == TaskState.NONE) tx.clearXComs(ti.dagId(), ti.runId(), ti.taskId());
    return true;
  }
}
