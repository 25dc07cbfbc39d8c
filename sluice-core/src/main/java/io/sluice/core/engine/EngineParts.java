package io.sluice.core.engine;

import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.time.Sleeper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The parts of one process's engine, built around one local executor, one change counter and one
 * stop flag, with each part's step of a pass as a method. {@link Engines} chooses which steps a
 * kind of process runs.
 */
final class EngineParts {
  final MetadataStore store;
  final DagBag bag;
  final Clock clock;
  final EngineOptions options;
  final String executorId;
  final LocalExecutor executor;
  final AtomicLong changes = new AtomicLong();
  final AtomicBoolean stopping = new AtomicBoolean();
  final RunScheduler runScheduler;
  final TaskRunner taskRunner;
  private final ZombieReaper zombies;
  private final HistoryPruner pruner;
  private final BackfillScheduler backfills;

  /**
   * @param idPrefix the executor id's prefix ({@code local-}, {@code worker-})
   * @param createsRuns whether runs are created from the DAGs' schedules
   * @param dispatches whether scheduled tasks run on this process's executor
   * @param owns the runs this process starts and evaluates
   */
  EngineParts(
      MetadataStore store,
      DagBag bag,
      Clock clock,
      Sleeper sleeper,
      ConnectionResolver connections,
      EngineOptions options,
      String idPrefix,
      boolean createsRuns,
      boolean dispatches,
      Predicate<DagRun> owns) {
    this.store = store;
    this.bag = bag;
    this.clock = clock;
    this.options = options;
    this.executorId = idPrefix + UUID.randomUUID();
    // why: the executor's threads call the task runner, which is built after the executor
    TaskRunner[] runner = new TaskRunner[1];
    this.executor = new LocalExecutor(options.executorThreads(), key -> runner[0].run(key));
    TaskDispatcher dispatcher =
        dispatches
            ? new TaskDispatcher(bag, executor, executorId, changes, stopping)
            : TaskDispatcher.none();
    this.runScheduler =
        new RunScheduler(
            store,
            bag,
            clock,
            executor,
            createsRuns ? new RunCreator(store, changes) : null,
            dispatcher,
            owns,
            options.tick(),
            changes);
    this.taskRunner =
        new TaskRunner(
            store,
            bag,
            clock,
            sleeper,
            connections,
            executor,
            executorId,
            runScheduler,
            options.heartbeat(),
            changes,
            stopping);
    runner[0] = taskRunner;
    this.zombies =
        new ZombieReaper(store, bag, executorId, options.zombieThreshold(), runScheduler, changes);
    this.pruner = new HistoryPruner(store, options.historyRetention());
    this.backfills = new BackfillScheduler(store, bag, runScheduler, changes);
  }

  Instant now() {
    return clock.instant();
  }

  /**
   * Re-scans the DAG folder and, when it changed (or on the first pass), writes it to the store.
   */
  void syncBag() {
    if (bag.refresh() || !runScheduler.synced()) runScheduler.syncDags();
  }

  /** Re-scans the DAG folder without writing it to the store (a worker's view). */
  void refreshBag() {
    bag.refresh();
  }

  /** Sends this executor's heartbeats for the tasks it runs. */
  void heartbeat(Instant now) {
    taskRunner.heartbeat(now);
  }

  /** Interrupts the tasks of this executor whose execution timeout passed. */
  void expireTimeouts(Instant now) {
    if (executor.interruptExpired(now) > 0) changes.incrementAndGet();
  }

  void reapZombies(Instant now, List<TaskInstance> submit) {
    zombies.reap(now, submit);
  }

  void pruneHistory(Instant now) {
    pruner.prune(now);
  }

  /** Creates and starts the runs of every active backfill. */
  void scheduleBackfills(Instant now, List<TaskInstance> submit) {
    backfills.schedule(now, submit);
  }

  /** Creates the runs of one backfill and evaluates them on every pass. */
  void advanceBackfill(long backfillId, Instant now, List<TaskInstance> submit) {
    backfills.advance(backfillId, now, submit, true);
  }

  /** True when nothing changed and nothing is due since the last full scheduling pass. */
  boolean quiet(Instant now) {
    return runScheduler.quiet(now);
  }

  /** Creates due runs, starts queued ones, evaluates running ones and dispatches. */
  void schedule(Instant now, List<TaskInstance> submit, boolean sweepAlways) {
    runScheduler.schedule(now, submit, sweepAlways);
  }

  /** Claims scheduled tasks for this executor, evaluating no run. */
  void dispatch(Instant now, List<TaskInstance> submit) {
    runScheduler.dispatch(now, submit);
  }
}
