package io.sluice.core.engine;

import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails or retries the task instances of other executors that stopped sending heartbeats (Airflow's
 * zombies); queued ones go back to scheduled. Their runs are evaluated in the same transaction.
 */
final class ZombieReaper {
  private static final Logger LOG = LoggerFactory.getLogger(ZombieReaper.class);

  private final MetadataStore store;
  private final DagBag bag;
  private final String executorId;
  private final Duration threshold;
  private final RunScheduler runs;
  private final AtomicLong changes;

  ZombieReaper(
      MetadataStore store,
      DagBag bag,
      String executorId,
      Duration threshold,
      RunScheduler runs,
      AtomicLong changes) {
    this.store = store;
    this.bag = bag;
    this.executorId = executorId;
    this.threshold = threshold;
    this.runs = runs;
    this.changes = changes;
  }

  /**
   * Handles the instances silent for longer than the threshold; queues what may run into submit.
   */
  void reap(Instant now, List<TaskInstance> submit) {
    List<TaskInstance> stale =
        store.inTransaction(tx -> tx.staleTaskInstances(now.minus(threshold), executorId));
    for (TaskInstance z : stale) {
      store.inTransaction(
          tx -> {
            Optional<DagRun> run = tx.lockRun(z.dagId(), z.runId());
            Optional<TaskInstance> cur = tx.taskInstance(z.dagId(), z.runId(), z.taskId());
            if (run.isEmpty() || cur.isEmpty() || !cur.get().state().equals(z.state())) return null;
            TaskInstance ti = cur.get();
            TaskInstance next;
            if (ti.state() == TaskState.QUEUED) {
              next = ti.toBuilder().state(TaskState.SCHEDULED).executorId(null).build();
            } else {
              next =
                  TaskRunner.failedOrRetry(
                          ti,
                          bag.dag(z.dagId()).map(d -> d.tasks().get(z.taskId())).orElse(null),
                          now,
                          true)
                      .toBuilder()
                      .note("executor " + ti.executorId() + " stopped sending heartbeats")
                      .build();
              LOG.warn(
                  "task {} lost its executor {}: {}",
                  ti.key(),
                  ti.executorId(),
                  next.state().dbValue());
            }
            if (tx.updateTaskInstance(next, ti.state())) {
              changes.incrementAndGet();
              bag.entry(z.dagId())
                  .ifPresent(e -> runs.evaluateRun(tx, e, run.get(), now, submit, 0));
            }
            return null;
          });
    }
  }
}
