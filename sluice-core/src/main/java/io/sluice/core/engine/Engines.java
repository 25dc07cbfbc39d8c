package io.sluice.core.engine;

import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.time.Sleeper;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Predicate;

/**
 * The kinds of engine a process runs, each a composition of the engine's parts ({@link
 * RunScheduler}, {@link TaskRunner}, {@link ZombieReaper}, {@link BackfillScheduler}, {@link
 * HistoryPruner}) into the pass of an {@link EngineLoop}. Several of each may share one PostgreSQL
 * database: every state change is a conditional update and scheduled tasks are claimed with {@code
 * FOR UPDATE SKIP LOCKED}, so that no task runs twice.
 *
 * {@snippet :
 * try (EngineLoop engine = new Engines(store, bag, clock, Sleeper.SYSTEM, connections, options)
 *     .standalone()
 *     .start()) {
 *   engine.runs().trigger("my_dag", "{}", null);
 * }
 * }
 */
public final class Engines {
  private static final Predicate<DagRun> LIVE_RUNS = r -> r.runType() != RunType.TEST;
  private static final Predicate<DagRun> TEST_RUNS = r -> r.runType() == RunType.TEST;

  private final MetadataStore store;
  private final DagBag bag;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ConnectionResolver connections;
  private final EngineOptions options;

  public Engines(
      MetadataStore store,
      DagBag bag,
      Clock clock,
      Sleeper sleeper,
      ConnectionResolver connections,
      EngineOptions options) {
    this.store = store;
    this.bag = bag;
    this.clock = clock;
    this.sleeper = sleeper;
    this.connections = connections;
    this.options = options;
  }

  /**
   * Creates and evaluates runs and runs their tasks on its local executor ({@code sluice
   * scheduler}, {@code standalone}, {@code up}).
   */
  public EngineLoop standalone() {
    EngineParts p = parts("local-", true, true, LIVE_RUNS);
    return new EngineLoop(p, "scheduler", scheduling(p, true));
  }

  /**
   * Creates and evaluates runs, and leaves their tasks to workers ({@code sluice scheduler} with
   * {@code scheduler.execute=false}).
   */
  public EngineLoop scheduler() {
    EngineParts p = parts("local-", true, false, LIVE_RUNS);
    return new EngineLoop(p, "scheduler", scheduling(p, false));
  }

  /**
   * Claims scheduled tasks and runs them ({@code sluice worker}); creates and evaluates no runs
   * except on a task's end, when it records the outcome and queues the ready downstream tasks in
   * the same transaction, exactly as a standalone scheduler does.
   */
  public EngineLoop worker() {
    EngineParts p = parts("worker-", false, true, LIVE_RUNS);
    return new EngineLoop(
        p,
        "worker",
        (submit, sweepAlways) -> {
          p.refreshBag();
          Instant now = p.now();
          p.heartbeat(now);
          p.expireTimeouts(now);
          p.reapZombies(now, submit);
          p.dispatch(now, submit);
        });
  }

  /**
   * Runs the {@code test} runs of its store and nothing else: creates no scheduled runs and leaves
   * every other run alone ({@code sluice dags test}, on a store of its own).
   */
  public EngineLoop test() {
    EngineParts p = parts("local-", false, true, TEST_RUNS);
    return new EngineLoop(p, "test", scheduling(p, true));
  }

  /**
   * Runs one backfill and nothing else ({@code dags backfill --local}, when no scheduler runs): no
   * scheduled runs, no other backfill, no other run's tasks, no zombie reaping. The DAG bag should
   * hold only the backfill's DAG, since queued task instances of DAGs in the bag may be dispatched.
   */
  public EngineLoop backfill(long backfillId) {
    EngineParts p = parts("local-", true, true, LIVE_RUNS);
    return new EngineLoop(
        p,
        "backfill",
        (submit, sweepAlways) -> {
          Instant now = p.now();
          p.heartbeat(now);
          p.expireTimeouts(now);
          p.advanceBackfill(backfillId, now, submit);
          p.dispatch(now, submit);
        });
  }

  /**
   * The pass of a process that schedules: sync the DAGs, then create, start and evaluate runs; a
   * background pass with nothing changed and nothing due sends its heartbeat and stops there.
   */
  private static EngineLoop.Pass scheduling(EngineParts p, boolean executes) {
    return (submit, sweepAlways) -> {
      p.syncBag();
      Instant now = p.now();
      if (executes) p.heartbeat(now);
      p.expireTimeouts(now);
      if (!sweepAlways && p.quiet(now)) return;
      p.reapZombies(now, submit);
      p.pruneHistory(now);
      p.scheduleBackfills(now, submit);
      p.schedule(now, submit, sweepAlways);
    };
  }

  private EngineParts parts(
      String idPrefix, boolean createsRuns, boolean dispatches, Predicate<DagRun> owns) {
    return new EngineParts(
        store, bag, clock, sleeper, connections, options, idPrefix, createsRuns, dispatches, owns);
  }
}
