package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.TaskState;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.ActiveTasks;
import io.sluice.core.store.ClaimedScheduled;
import io.sluice.core.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
    dispatch(tx, now, submit, freeing, List.of());
  }

  /**
   * As {@link #dispatch(StoreTransaction, Instant, List, int)}, with the instances a run's
   * evaluation has just made ready and not yet written: each is written queued when this dispatch
   * takes it, else scheduled, in one transition from its stored state.
   */
  void dispatch(
      StoreTransaction tx, Instant now, List<TaskInstance> submit, int freeing, List<Ready> ready) {
    dispatch(tx, now, submit, freeing, ready, null);
  }

  /**
   * As {@link #dispatch(StoreTransaction, Instant, List, int, List)}, writing first the outcome of
   * the task that ends in this transaction ({@code ended}: its transition from running; null:
   * none), with the claim where it can, saving a round trip. False, and nothing dispatched, when
   * the outcome was not written (the row is no longer running).
   */
  boolean dispatch(
      StoreTransaction tx,
      Instant now,
      List<TaskInstance> submit,
      int freeing,
      List<Ready> ready,
      Ready ended) {
    int capacity =
        executor == null || stopping.get() ? 0 : executor.capacity() + freeing - submit.size();
    if (ended != null
        && (capacity <= 0 || ready.isEmpty())
        && !tx.transition(ended.stored(), ended.scheduled())) return false;
    List<Ready> candidates = new ArrayList<>();
    ActiveTasks limits = null;
    if (capacity > 0) {
      List<TaskInstance> claimed;
      if (ready.isEmpty()) claimed = tx.claimScheduled(Math.max(capacity, 32));
      else {
        // why: with instances ready there are candidates, so the limits are read in any case;
        // read with the claim, they save a round trip
        Set<String> dagIds = new HashSet<>();
        Set<String> pools = new HashSet<>();
        for (Ready r : ready) {
          dagIds.add(r.scheduled().dagId());
          pools.add(r.scheduled().pool());
        }
        int limit = Math.max(capacity, 32);
        ClaimedScheduled both =
            ended == null
                ? tx.claimScheduledAndLimits(limit, dagIds, pools)
                : tx.transitionAndClaimScheduled(
                    ended.stored(), ended.scheduled(), limit, dagIds, pools);
        if (both == null) return false;
        claimed = both.instances();
        limits = both.limits();
      }
      for (TaskInstance ti : claimed) candidates.add(new Ready(ti, ti));
    }
    // why: a stable sort keeps the claimed rows, which waited longer, ahead of equal weights
    candidates.addAll(ready);
    candidates.sort(
        Comparator.comparingInt((Ready r) -> r.scheduled().priorityWeight()).reversed());
    List<TaskInstance> from = new ArrayList<>();
    List<TaskInstance> to = new ArrayList<>();
    int queuedCount = capacity > 0 ? queue(tx, now, capacity, candidates, limits, from, to) : 0;
    for (Ready r : ready)
      if (!from.contains(r.stored())) {
        from.add(r.stored());
        to.add(r.scheduled());
      }
    boolean[] done = tx.transitions(from, to);
    for (int i = 0; i < done.length; i++) {
      if (!done[i]) continue;
      if (i < queuedCount) submit.add(to.get(i));
      if (changes != null) changes.incrementAndGet();
    }
    return true;
  }

  /**
   * Picks the candidates that may run now, within {@code capacity} and the DAGs' and pools' limits
   * ({@code known}, or read when null), into {@code from} and {@code to} (queued); returns how many
   * it picked.
   */
  private int queue(
      StoreTransaction tx,
      Instant now,
      int capacity,
      List<Ready> candidates,
      ActiveTasks known,
      List<TaskInstance> from,
      List<TaskInstance> to) {
    if (candidates.isEmpty()) return 0;
    ActiveTasks limits = known;
    if (limits == null) {
      Set<String> dagIds = new HashSet<>();
      Set<String> pools = new HashSet<>();
      for (Ready r : candidates) {
        dagIds.add(r.scheduled().dagId());
        pools.add(r.scheduled().pool());
      }
      limits = tx.activeTasks(dagIds, pools);
    }
    Map<String, Integer> active = new HashMap<>();
    Map<String, Integer> poolUsed = new HashMap<>();
    for (Ready r : candidates) {
      if (to.size() >= capacity) break;
      TaskInstance ti = r.scheduled();
      Optional<Dag> dag = bag.dag(ti.dagId());
      if (dag.isEmpty()) continue;
      int a = active.computeIfAbsent(ti.dagId(), limits::active);
      if (a >= dag.get().maxActiveTasks()) continue;
      // why: -1 slots is an unlimited pool, and so is one that does not exist
      int slots = limits.poolSlots().getOrDefault(ti.pool(), -1);
      int used = poolUsed.computeIfAbsent(ti.pool(), limits::used);
      if (slots >= 0 && used + ti.poolSlots() > slots) continue;
      from.add(r.stored());
      to.add(
          ti.toBuilder()
              .state(TaskState.QUEUED)
              .queuedAt(now)
              .executorId(executorId)
              .heartbeatAt(now)
              .build());
      active.put(ti.dagId(), a + 1);
      poolUsed.put(ti.pool(), used + ti.poolSlots());
    }
    return to.size();
  }

  /**
   * A task instance as stored ({@code stored}, or already scheduled when both are the same) and as
   * scheduled.
   */
  record Ready(TaskInstance stored, TaskInstance scheduled) {}
}
