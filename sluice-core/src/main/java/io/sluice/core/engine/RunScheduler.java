package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskSpec;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling half of the engine: writes the DAG bag to the metadata database, creates DAG runs
 * when their data interval is complete, starts queued runs within {@code max_active_runs}, brings
 * running runs up to date (task instances, trigger rules, retries, the run's end), and dispatches
 * scheduled task instances to this process's executor within executor, DAG and pool limits.
 *
 * <p>{@link TaskRunner} calls {@link #evaluateRun} when a task ends, in the transaction that
 * records its outcome, so that ready downstream tasks are queued at once.
 */
final class RunScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(RunScheduler.class);

  /**
   * The most ticks a quiet scheduler lets pass between full passes: what other processes write
   * (workers' retries, a second scheduler's runs) is seen within them.
   */
  static final int QUIET_TICKS = 5;

  private final MetadataStore store;
  private final DagBag bag;
  private final Clock clock;
  private final LocalExecutor executor;
  private final RunCreator creator;
  private final TaskDispatcher dispatcher;
  private final Predicate<DagRun> owns;
  private final Duration tick;
  private final AtomicLong changes;
  private final PriorityWeights weights = new PriorityWeights();
  private volatile boolean synced;
  private Instant lastSweep = Instant.MIN;
  private volatile boolean bagChanged = true;
  private long changesAtPass = -1;
  private Instant quietUntil = Instant.MIN;

  /**
   * @param creator creates runs from the DAGs' schedules; null: this scheduler creates none
   * @param dispatcher hands ready tasks to this process's executor ({@link TaskDispatcher#none()}:
   *     workers claim them)
   * @param owns the runs this scheduler starts and evaluates (a test engine's, or all others)
   * @param changes counts every state change
   */
  RunScheduler(
      MetadataStore store,
      DagBag bag,
      Clock clock,
      LocalExecutor executor,
      RunCreator creator,
      TaskDispatcher dispatcher,
      Predicate<DagRun> owns,
      Duration tick,
      AtomicLong changes) {
    this.store = store;
    this.bag = bag;
    this.clock = clock;
    this.executor = executor;
    this.creator = creator;
    this.dispatcher = dispatcher;
    this.owns = owns;
    this.tick = tick;
    this.changes = changes;
  }

  /**
   * The scheduling part of one pass: stops the services of paused DAGs, creates due runs, starts
   * queued runs within {@code max_active_runs}, and (once per {@code tick}, or always when {@code
   * sweepAlways}) evaluates every running run; queues what may run into {@code submit}.
   */
  void schedule(Instant now, List<TaskInstance> submit, boolean sweepAlways) {
    long seen = changes.get();
    bagChanged = false;
    Instant due = now.plus(tick.multipliedBy(QUIET_TICKS));
    Map<String, Boolean> paused = stopPausedServices();
    for (DagBag.Entry e : bag.entries()) {
      if (paused.getOrDefault(e.dag().dagId(), false)) continue;
      if (creator != null) due = earlier(due, creator.createDueRuns(e, now));
      store.inTransaction(
          tx -> {
            startQueuedRuns(tx, e, now, submit);
            return null;
          });
    }
    // why: hand-offs evaluate a run whenever one of its tasks ends; the sweep over every running
    // run (due retries, DAG changes, depends_on_past) is needed once per tick, not on every
    // wake-up that a trigger causes.
    boolean sweep = sweepAlways || !Duration.between(lastSweep, now).minus(tick).isNegative();
    List<DagRun> running =
        sweep ? store.inTransaction(tx -> tx.runsInState(DagRunState.RUNNING)) : List.of();
    if (sweep) lastSweep = now;
    for (DagRun r : running) {
      if (paused.getOrDefault(r.dagId(), false) || !owns.test(r)) continue;
      Optional<DagBag.Entry> e = bag.entry(r.dagId());
      if (e.isEmpty()) continue;
      store.inTransaction(
          tx -> {
            // why: a run locked by someone else is being evaluated by them (a task's hand-off);
            // waiting for it would only serialise the scheduler behind the workers.
            tx.tryLockRun(r.dagId(), r.runId())
                .ifPresent(locked -> evaluateRun(tx, e.get(), locked, now, submit, 0));
            return null;
          });
    }
    dispatch(now, submit);
    due = earlier(due, store.inTransaction(tx -> tx.nextReadyAt()));
    quietUntil = due;
    changesAtPass = seen;
  }

  /**
   * True when a pass may skip its scheduling: nothing changed in this process since the last full
   * pass began (no trigger, no task's end, no new DAG version), and nothing falls due before {@link
   * #QUIET_TICKS} ticks after it (a run to create, a retry or reschedule).
   */
  boolean quiet(Instant now) {
    return !bagChanged && changes.get() == changesAtPass && now.isBefore(quietUntil);
  }

  private static Instant earlier(Instant a, Optional<Instant> b) {
    return b.isPresent() && b.get().isBefore(a) ? b.get() : a;
  }

  /** Queues scheduled task instances in a transaction of its own (a worker's whole pass). */
  void dispatch(Instant now, List<TaskInstance> submit) {
    store.inTransaction(
        tx -> {
          dispatch(tx, now, submit, 0);
          return null;
        });
  }

  /** Interrupts the running service tasks of paused DAGs; returns the paused flag of each DAG. */
  private Map<String, Boolean> stopPausedServices() {
    Map<String, Boolean> paused = new HashMap<>();
    store.inTransaction(
        tx -> {
          for (DagRecord d : tx.dags()) paused.put(d.dagId(), d.paused());
          return null;
        });
    if (executor.interruptServices(
            k -> paused.getOrDefault(k.dagId(), false), "stopped: DAG paused")
        > 0) changes.incrementAndGet();
    return paused;
  }

  /** True once {@link #syncDags()} has run. */
  boolean synced() {
    return synced;
  }

  /**
   * Writes the known DAGs and import errors to the metadata database. Synchronized: the loop's tick
   * and a caller's explicit sync would otherwise both insert a file's import errors, twice.
   */
  public synchronized void syncDags() {
    DagBagSync.write(store, bag, clock.instant());
    synced = true;
    bagChanged = true;
  }

  /** The next time something is due: a run to create, a retry, a reschedule, a timeout. */
  public Optional<Instant> nextDueTime() {
    Instant now = clock.instant();
    List<Instant> candidates = new ArrayList<>();
    store.inTransaction(tx -> tx.nextReadyAt()).ifPresent(candidates::add);
    executor.nextDeadline().ifPresent(candidates::add);
    Map<String, Boolean> paused = stopPausedServices();
    for (DagBag.Entry e : bag.entries()) {
      if (creator == null || paused.getOrDefault(e.dag().dagId(), false)) continue;
      creator.nextRunAfter(e, now).ifPresent(candidates::add);
    }
    return candidates.stream().filter(t -> t.isAfter(now)).min(Instant::compareTo);
  }

  void startQueuedRuns(
      StoreTransaction tx, DagBag.Entry e, Instant now, List<TaskInstance> submit) {
    Dag dag = e.dag();
    // why: only the queued runs that may start, not the DAG's whole history, and not those another
    // executor is starting right now; this runs on every run's end, mostly with none queued, so
    // the running runs are counted only when there is one to start.
    List<DagRun> queued = tx.claimQueuedRuns(dag.dagId(), dag.maxActiveRuns());
    if (queued.isEmpty()) return;
    int running = tx.countRuns(dag.dagId(), DagRunState.RUNNING);
    for (DagRun r : queued) {
      if (running >= dag.maxActiveRuns()) return;
      if (!owns.test(r)) continue;
      DagRun started = r.withState(DagRunState.RUNNING, now, null);
      if (!tx.updateRunState(started, DagRunState.QUEUED)) continue;
      changes.incrementAndGet();
      running++;
      evaluateRun(tx, e, started, now, submit, 0);
    }
  }

  /**
   * Brings a (locked) running run up to date: creates missing task instances, marks those of
   * removed tasks, resolves trigger rules in topological order, moves due retries and reschedules
   * to scheduled, ends the run when every task is done, and queues what may run.
   */
  void evaluateRun(
      StoreTransaction tx,
      DagBag.Entry e,
      DagRun run,
      Instant now,
      List<TaskInstance> submit,
      int freeing) {
    evaluateRun(tx, e, run, now, submit, freeing, null);
  }

  /**
   * As {@link #evaluateRun(StoreTransaction, DagBag.Entry, DagRun, Instant, List, int)}, with the
   * run's task instances as the caller read them in this transaction ({@code known}; null: read
   * them).
   */
  void evaluateRun(
      StoreTransaction tx,
      DagBag.Entry e,
      DagRun run,
      Instant now,
      List<TaskInstance> submit,
      int freeing,
      List<TaskInstance> known) {
    if (run.state() != DagRunState.RUNNING) return;
    Dag dag = e.dag();
    Set<String> created = new LinkedHashSet<>();
    List<TaskDispatcher.Ready> ready = new ArrayList<>();
    Map<String, TaskInstance> tis =
        taskInstances(
            tx,
            dag,
            run,
            now,
            known != null ? known : tx.taskInstances(run.dagId(), run.runId()),
            created);
    for (String id : dag.topologicalOrder()) {
      TaskInstance ti = tis.get(id);
      TaskSpec spec = dag.task(id);
      TaskState s = ti.state();
      if ((s == TaskState.UP_FOR_RETRY || s == TaskState.UP_FOR_RESCHEDULE)
          && ti.readyAt() != null
          && !ti.readyAt().isAfter(now)) {
        TaskInstance next = ti.toBuilder().state(TaskState.SCHEDULED).build();
        ready.add(new TaskDispatcher.Ready(ti, next));
        tis.put(id, next);
        continue;
      }
      if (s != TaskState.NONE) continue;
      List<TaskState> upstream = spec.upstream().stream().map(u -> tis.get(u).state()).toList();
      TriggerRules.Decision d = TriggerRules.evaluate(spec.triggerRule(), upstream);
      if (d == TriggerRules.Decision.RUN && spec.dependsOnPast() && !pastSucceeded(tx, run, id))
        d = TriggerRules.Decision.WAIT;
      TaskInstance next =
          switch (d) {
            case WAIT -> null;
            case RUN -> ti.toBuilder().state(TaskState.SCHEDULED).build();
            case SKIP -> ti.toBuilder().state(TaskState.SKIPPED).endDate(now).build();
            case UPSTREAM_FAILED ->
                ti.toBuilder().state(TaskState.UPSTREAM_FAILED).endDate(now).build();
          };
      // why: a task instance created by this evaluation is inserted below in the state decided
      // here, not inserted as none and then updated
      if (next == null) continue;
      // why: a ready instance is written by the dispatch below, queued at once when it takes it,
      // so that a task does not go none, scheduled and queued in three writes
      if (next.state() == TaskState.SCHEDULED && !created.contains(id))
        ready.add(new TaskDispatcher.Ready(ti, next));
      else if (!created.contains(id) && !tx.transition(ti, next)) continue;
      tis.put(id, next);
      changes.incrementAndGet();
    }
    if (!created.isEmpty()) {
      tx.insertTaskInstances(created.stream().map(tis::get).toList());
      changes.incrementAndGet();
    }
    boolean allDone = tis.values().stream().allMatch(t -> t.state().isFinished());
    if (allDone) {
      boolean failed = false;
      for (String id : dag.tasks().keySet()) {
        if (!dag.downstream(id).isEmpty()) continue;
        TaskState s = tis.get(id).state();
        if (s == TaskState.FAILED || s == TaskState.UPSTREAM_FAILED) failed = true;
      }
      DagRun done =
          run.withState(failed ? DagRunState.FAILED : DagRunState.SUCCESS, run.startDate(), now);
      if (tx.updateRunState(done, DagRunState.RUNNING)) {
        changes.incrementAndGet();
        LOG.info("DAG run {} {} ended: {}", run.dagId(), run.runId(), done.state().dbValue());
        startQueuedRuns(tx, e, now, submit);
      }
    }
    dispatcher.dispatch(tx, now, submit, freeing, ready);
  }

  /**
   * The downstream tasks of {@code taskId} when it alone decides each of them (each has it as its
   * only upstream task and does not depend on its past), else null; none downstream is null too,
   * since the run may end.
   */
  static Set<String> soleDownstream(Dag dag, String taskId) {
    Set<String> down = dag.downstream(taskId);
    if (down.isEmpty()) return null;
    for (String id : down) {
      TaskSpec t = dag.task(id);
      if (t.upstream().size() != 1 || t.dependsOnPast()) return null;
    }
    return down;
  }

  /**
   * The hand-off of a task that ends, {@code running} to {@code finished}, and alone decides its
   * downstream tasks ({@link #soleDownstream}): writes its outcome and queues the downstream tasks
   * its trigger rule now runs, from {@code known}, the instances read in this transaction under the
   * run's lock; the outcome travels with the dispatch's claim. Anything else (a downstream instance
   * missing or not in none, a rule that does not run) writes the outcome, then evaluates the whole
   * run. False, and nothing written, when the outcome was not (the row is no longer running).
   */
  boolean handOff(
      StoreTransaction tx,
      DagBag.Entry e,
      DagRun run,
      Instant now,
      List<TaskInstance> submit,
      TaskInstance running,
      TaskInstance finished,
      List<TaskInstance> known) {
    if (run.state() != DagRunState.RUNNING) return tx.transition(running, finished);
    Dag dag = e.dag();
    Map<String, TaskInstance> byId = new HashMap<>();
    for (TaskInstance ti : known) byId.put(ti.taskId(), ti);
    List<TaskDispatcher.Ready> ready = new ArrayList<>();
    List<TaskState> upstream = List.of(finished.state());
    for (String id : dag.downstream(finished.taskId())) {
      TaskInstance ti = byId.get(id);
      if (ti == null
          || ti.state() != TaskState.NONE
          || TriggerRules.evaluate(dag.task(id).triggerRule(), upstream)
              != TriggerRules.Decision.RUN) {
        if (!tx.transition(running, finished)) return false;
        evaluateRun(tx, e, run, now, submit, 1, null);
        return true;
      }
      ready.add(new TaskDispatcher.Ready(ti, ti.toBuilder().state(TaskState.SCHEDULED).build()));
    }
    if (!dispatcher.dispatch(
        tx, now, submit, 1, ready, new TaskDispatcher.Ready(running, finished))) return false;
    changes.addAndGet(ready.size());
    return true;
  }

  /**
   * The run's task instances by task id: makes those of new tasks (to be inserted by the caller;
   * their ids are added to {@code created}), marks those of removed tasks.
   */
  private Map<String, TaskInstance> taskInstances(
      StoreTransaction tx,
      Dag dag,
      DagRun run,
      Instant now,
      List<TaskInstance> stored,
      Set<String> created) {
    Map<String, TaskInstance> tis = new LinkedHashMap<>();
    for (TaskInstance ti : stored) tis.put(ti.taskId(), ti);
    Map<String, Integer> w = weights.of(dag);
    for (TaskSpec t : dag.tasks().values()) {
      if (!tis.containsKey(t.taskId())) {
        TaskInstance ti =
            TaskInstance.create(
                run.dagId(),
                run.runId(),
                t.taskId(),
                t.retries(),
                w.get(t.taskId()),
                t.pool(),
                t.poolSlots());
        created.add(t.taskId());
        tis.put(t.taskId(), ti);
      }
    }
    for (TaskInstance ti : List.copyOf(tis.values())) {
      if (!dag.tasks().containsKey(ti.taskId())
          && !ti.state().isFinished()
          && !ti.state().isActive()) {
        TaskInstance removed = ti.toBuilder().state(TaskState.REMOVED).endDate(now).build();
        if (tx.updateTaskInstance(removed, ti.state())) tis.put(ti.taskId(), removed);
      }
    }
    return tis;
  }

  private boolean pastSucceeded(StoreTransaction tx, DagRun run, String taskId) {
    Optional<DagRun> prev = tx.previousRun(run.dagId(), run.logicalDate());
    if (prev.isEmpty()) return true;
    return tx.taskInstance(run.dagId(), prev.get().runId(), taskId)
        .map(t -> t.state() == TaskState.SUCCESS || t.state() == TaskState.SKIPPED)
        .orElse(true);
  }

  /** Queues scheduled task instances for this process's executor (see {@link TaskDispatcher}). */
  void dispatch(StoreTransaction tx, Instant now, List<TaskInstance> submit, int freeing) {
    dispatcher.dispatch(tx, now, submit, freeing);
  }
}
