package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.TaskState;
import io.sluice.core.model.Pool;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.StoreTransaction;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands scheduled task instances to this process's executor, highest priority first, within the
 * executor's free threads, each DAG's {@code max_active_tasks} and each pool's slots. A process
 * that runs no tasks (a scheduler beside workers) has {@link #none()}.
 */
final class TaskDispatcher {
  private final DagBag bag;
  private final LocalExecutor executor;
  private final String executorId;
  private final AtomicLong changes;
  private final AtomicBoolean stopping;

  /**
   * @param changes counts every state change
   * @param stopping set when the process shuts down: nothing more is dispatched
   */
  TaskDispatcher(
      DagBag bag,
      LocalExecutor executor,
      String executorId,
      AtomicLong changes,
      AtomicBoolean stopping) {
    this.bag = bag;
    this.executor = executor;
    this.executorId = executorId;
    this.changes = changes;
    this.stopping = stopping;
  }

  /** A dispatcher that queues nothing: workers claim the scheduled tasks. */
  static TaskDispatcher none() {
    return new TaskDispatcher(null, null, null, null, null);
  }

  /**
   * Queues scheduled task instances into {@code submit}; {@code freeing} executor threads are about
   * to be released by the caller (a task ending).
   */
  void dispatch(StoreTransaction tx, Instant now, List<TaskInstance> submit, int freeing) {
    if (executor == null || stopping.get()) return;
    int capacity = executor.capacity() + freeing - submit.size();
    if (capacity <= 0) return;
    List<TaskInstance> candidates = tx.claimScheduled(Math.max(capacity, 32));
    Map<String, Integer> active = new HashMap<>();
    Map<String, Integer> poolUsed = new HashMap<>();
    Map<String, Integer> poolSlots = new HashMap<>();
    for (TaskInstance ti : candidates) {
      if (capacity <= 0) break;
      Optional<Dag> dag = bag.dag(ti.dagId());
      if (dag.isEmpty()) continue;
      int a = active.computeIfAbsent(ti.dagId(), tx::countActiveTasks);
      if (a >= dag.get().maxActiveTasks()) continue;
      int slots =
          poolSlots.computeIfAbsent(
              ti.pool(),
              p ->
                  tx.pool(p)
                      .map(Pool::slots)
                      .filter(n -> n >= 0) // why: -1 slots is an unlimited pool
                      .orElse(Integer.MAX_VALUE));
      int used = poolUsed.computeIfAbsent(ti.pool(), tx::usedPoolSlots);
      if (slots != Integer.MAX_VALUE && used + ti.poolSlots() > slots) continue;
      TaskInstance queued =
          ti.toBuilder()
              .state(TaskState.QUEUED)
              .queuedAt(now)
              .executorId(executorId)
              .heartbeatAt(now)
              .build();
      if (tx.updateTaskInstance(queued, TaskState.SCHEDULED)) {
        submit.add(queued);
        active.put(ti.dagId(), a + 1);
        poolUsed.put(ti.pool(), used + ti.poolSlots());
        capacity--;
        changes.incrementAndGet();
      }
    }
  }
}
