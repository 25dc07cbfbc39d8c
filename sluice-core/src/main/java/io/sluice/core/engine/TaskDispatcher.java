package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.TaskState;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.ActiveTasks;
import io.sluice.core.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
   * to be released by the caller (a task ending). The limits are read once for the batch and the
   * claimed instances are queued in one round trip.
   */
  void dispatch(StoreTransaction tx, Instant now, List<TaskInstance> submit, int freeing) {
    if (executor == null || stopping.get()) return;
    int capacity = executor.capacity() + freeing - submit.size();
    if (capacity <= 0) return;
    List<TaskInstance> candidates = tx.claimScheduled(Math.max(capacity, 32));
    if (candidates.isEmpty()) return;
    Set<String> dagIds = new HashSet<>();
    Set<String> pools = new HashSet<>();
    for (TaskInstance ti : candidates) {
      dagIds.add(ti.dagId());
      pools.add(ti.pool());
    }
    ActiveTasks limits = tx.activeTasks(dagIds, pools);
    Map<String, Integer> active = new HashMap<>();
    Map<String, Integer> poolUsed = new HashMap<>();
    List<TaskInstance> claimed = new ArrayList<>();
    List<TaskInstance> queued = new ArrayList<>();
    for (TaskInstance ti : candidates) {
      if (queued.size() >= capacity) break;
      Optional<Dag> dag = bag.dag(ti.dagId());
      if (dag.isEmpty()) continue;
      int a = active.computeIfAbsent(ti.dagId(), limits::active);
      if (a >= dag.get().maxActiveTasks()) continue;
      // why: -1 slots is an unlimited pool, and so is one that does not exist
      int slots = limits.poolSlots().getOrDefault(ti.pool(), -1);
      int used = poolUsed.computeIfAbsent(ti.pool(), limits::used);
      if (slots >= 0 && used + ti.poolSlots() > slots) continue;
      claimed.add(ti);
      queued.add(
          ti.toBuilder()
              .state(TaskState.QUEUED)
              .queuedAt(now)
              .executorId(executorId)
              .heartbeatAt(now)
              .build());
      active.put(ti.dagId(), a + 1);
      poolUsed.put(ti.pool(), used + ti.poolSlots());
    }
    boolean[] done = tx.transitions(claimed, queued);
    for (int i = 0; i < done.length; i++) {
      if (!done[i]) continue;
      submit.add(queued.get(i));
      changes.incrementAndGet();
    }
  }
}
