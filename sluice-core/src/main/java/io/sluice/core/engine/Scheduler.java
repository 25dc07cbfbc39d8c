package io.sluice.core.engine;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.service.BackfillService;
import io.sluice.core.service.DagRunService;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler and its local executor. It creates DAG runs when their data interval is complete,
 * starts them within {@code max_active_runs}, and hands task instances to a pool of threads.
 *
 * <p>When a task ends, its outcome is recorded and its ready downstream tasks are queued in the
 * same database transaction, then handed to the executor at once: dependent tasks do not wait for
 * the next scheduler loop. The loop ({@link #tick()}) creates due runs, moves retries and
 * reschedules whose time has come, enforces execution timeouts, sends heartbeats and fails or
 * retries tasks whose executor stopped sending them.
 *
 * <p>Time comes from the injected {@link Clock}; {@link #tick()} can be driven by hand (the test
 * kit does) or by {@link #start()}'s background thread.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  /**
   * What a {@link Scheduler} instance does. Several of each may share one PostgreSQL database:
   * every state change is a conditional update and scheduled tasks are claimed with {@code FOR
   * UPDATE SKIP LOCKED}, so that no task runs twice.
   */
  public enum Role {
    /**
     * Creates and evaluates runs and runs tasks on its local executor ({@code sluice scheduler}).
     */
    STANDALONE,
    /**
     * Creates and evaluates runs; leaves scheduled tasks to workers ({@code scheduler.execute}).
     */
    SCHEDULER,
    /**
     * Claims scheduled tasks and runs them ({@code sluice worker}); creates no runs. When a task
     * ends it records the outcome and queues the ready downstream tasks in the same transaction,
     * exactly as a standalone scheduler does.
     */
    WORKER,
    /**
     * Runs the {@code test} runs of its store and nothing else: creates no scheduled runs, and
     * leaves every other run alone ({@code sluice dags test}, on a store of its own).
     */
    TEST;

    boolean schedules() {
      return this != WORKER;
    }

    boolean executes() {
      return this != SCHEDULER;
    }

    /** Whether this role creates runs from schedules. */
    boolean createsRuns() {
      return this == STANDALONE || this == SCHEDULER;
    }

    /** Whether this role starts and evaluates {@code run}: test runs only under {@link #TEST}. */
    boolean owns(DagRun run) {
      return (run.runType() == RunType.TEST) == (this == TEST);
    }
  }

  /** Tunables; {@link #from(SluiceConfig)} reads them from the configuration. */
  public record Options(
      int executorThreads,
      Duration tick,
      Duration heartbeat,
      Duration zombieThreshold,
      Duration shutdownGrace,
      Role role,
      Duration historyRetention) {
    public Options(
        int executorThreads,
        Duration tick,
        Duration heartbeat,
        Duration zombieThreshold,
        Duration shutdownGrace) {
      this(
          executorThreads,
          tick,
          heartbeat,
          zombieThreshold,
          shutdownGrace,
          Role.STANDALONE,
          Duration.ZERO);
    }

    /** The scheduler's options; with {@code scheduler.execute=false} it runs no tasks itself. */
    public static Options from(SluiceConfig config) {
      return new Options(
          config.get(Settings.EXECUTOR_THREADS),
          config.get(Settings.SCHEDULER_TICK),
          config.get(Settings.SCHEDULER_HEARTBEAT),
          config.get(Settings.SCHEDULER_ZOMBIE_THRESHOLD),
          config.get(Settings.SCHEDULER_SHUTDOWN_GRACE),
          config.get(Settings.SCHEDULER_EXECUTE) ? Role.STANDALONE : Role.SCHEDULER,
          config.get(Settings.HISTORY_RETENTION));
    }

    /** A worker's options: polls every {@code worker.poll}. */
    public static Options worker(SluiceConfig config) {
      return from(config).withRole(Role.WORKER).withTick(config.get(Settings.WORKER_POLL));
    }

    public static Options defaults() {
      return from(SluiceConfig.defaults());
    }

    public Options withExecutorThreads(int n) {
      return new Options(
          n, tick, heartbeat, zombieThreshold, shutdownGrace, role, historyRetention);
    }

    public Options withShutdownGrace(Duration grace) {
      return new Options(
          executorThreads, tick, heartbeat, zombieThreshold, grace, role, historyRetention);
    }

    public Options withZombieThreshold(Duration threshold) {
      return new Options(
          executorThreads, tick, heartbeat, threshold, shutdownGrace, role, historyRetention);
    }

    public Options withRole(Role r) {
      return new Options(
          executorThreads, tick, heartbeat, zombieThreshold, shutdownGrace, r, historyRetention);
    }

    public Options withTick(Duration t) {
      return new Options(
          executorThreads, t, heartbeat, zombieThreshold, shutdownGrace, role, historyRetention);
    }

    public Options withHeartbeat(Duration h) {
      return new Options(
          executorThreads, tick, h, zombieThreshold, shutdownGrace, role, historyRetention);
    }

    /** Finished runs older than {@code retention} are pruned; zero keeps them. */
    public Options withHistoryRetention(Duration retention) {
      return new Options(
          executorThreads, tick, heartbeat, zombieThreshold, shutdownGrace, role, retention);
    }
  }

  private final MetadataStore store;
  private final DagBag bag;
  private final Clock clock;
  private final Options options;
  private final String executorId;
  private final LocalExecutor executor;
  private final DagRunService runs;
  private final BackfillService backfillService;
  private final BackfillScheduler backfills;
  private final Semaphore wakeup = new Semaphore(0);
  private final AtomicLong changes = new AtomicLong();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final RunScheduler runScheduler;
  private final TaskRunner taskRunner;
  private final ZombieReaper zombies;
  private final HistoryPruner pruner;
  private volatile Thread loop;
  private volatile Long onlyBackfill;

  public Scheduler(
      MetadataStore store,
      DagBag bag,
      Clock clock,
      Sleeper sleeper,
      ConnectionResolver connections,
      Options options) {
    this.store = store;
    this.bag = bag;
    this.clock = clock;
    this.options = options;
    this.executorId = (options.role() == Role.WORKER ? "worker-" : "local-") + UUID.randomUUID();
    // why: the executor's threads call the task runner, which is built after the executor
    TaskRunner[] runner = new TaskRunner[1];
    this.executor = new LocalExecutor(options.executorThreads(), key -> runner[0].run(key));
    this.runScheduler =
        new RunScheduler(
            store,
            bag,
            clock,
            executor,
            executorId,
            options.role().executes(),
            options.role().createsRuns(),
            options.role()::owns,
            options.tick(),
            changes,
            stopping);
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
    this.runs =
        new DagRunService(store, bag, clock)
            .onChange(
                () -> {
                  changes.incrementAndGet();
                  wakeUp();
                });
    this.backfills = new BackfillScheduler(store, bag, runScheduler, changes);
    this.backfillService = new BackfillService(runs);
  }

  /** Backfills: create, list, pause, unpause, cancel; waking this scheduler after each write. */
  public BackfillService backfills() {
    return backfillService;
  }

  /**
   * Makes this scheduler run one backfill and nothing else (the CLI's {@code dags backfill
   * --local}, when no scheduler runs): no scheduled runs, no other backfill, no other run's tasks,
   * no zombie reaping. Its DAG bag should hold only the backfill's DAG, since queued task instances
   * of DAGs in the bag may be dispatched. Call before {@link #start()}.
   */
  public Scheduler onlyBackfill(long backfillId) {
    this.onlyBackfill = backfillId;
    return this;
  }

  /** Trigger, backfill, clear and the other operations, waking this scheduler after each. */
  public DagRunService runs() {
    return runs;
  }

  public String executorId() {
    return executorId;
  }

  public DagBag dagBag() {
    return bag;
  }

  public MetadataStore store() {
    return store;
  }

  public Clock clock() {
    return clock;
  }

  /** Starts the background loop thread. */
  public synchronized Scheduler start() {
    if (loop != null) return this;
    loop =
        new Thread(
            () -> {
              while (!stopping.get()) {
                try {
                  tick(false);
                } catch (RuntimeException e) {
                  LOG.error("scheduler loop failed; retrying", e);
                }
                try {
                  wakeup.tryAcquire(options.tick().toMillis(), TimeUnit.MILLISECONDS);
                  wakeup.drainPermits();
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "sluice-scheduler");
    loop.setDaemon(true);
    loop.start();
    return this;
  }

  /** Makes the background loop run now instead of at its next tick. */
  public void wakeUp() {
    wakeup.release();
  }

  /** Stops the loop, lets running tasks finish within the grace period, then interrupts them. */
  @Override
  public void close() {
    stopping.set(true);
    // why: a service task never finishes on its own; waiting the grace period for it is pointless
    executor.interruptServices(k -> true, "stopped by executor shutdown");
    Thread l = loop;
    if (l != null) {
      l.interrupt();
      try {
        l.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    executor.shutdown(options.shutdownGrace());
  }

  /** Task instances submitted to the executor and not finished. */
  public int inFlight() {
    return executor.inFlight();
  }

  /** Increases on every state change this scheduler makes; lets callers detect quiescence. */
  public long changeCount() {
    return changes.get();
  }

  // ---------------------------------------------------------------- loop

  /** One scheduler pass. Returns true when it changed any state. */
  public boolean tick() {
    return tick(true);
  }

  private synchronized boolean tick(boolean sweepAlways) {
    long before = changes.get();
    if (onlyBackfill != null) return tickBackfill(onlyBackfill, before);
    boolean refreshed = bag.refresh();
    if (options.role().schedules() && (refreshed || !runScheduler.synced())) syncDags();
    Instant now = clock.instant();
    List<TaskInstance> submit = new ArrayList<>();
    if (options.role().executes()) taskRunner.heartbeat(now);
    if (executor.interruptExpired(now) > 0) changes.incrementAndGet();
    zombies.reap(now, submit);
    if (options.role() == Role.WORKER) {
      // why: a worker neither creates nor evaluates runs; it only claims what schedulers (and
      // other workers' hand-offs) scheduled.
      runScheduler.dispatch(now, submit);
    } else {
      pruner.prune(now);
      backfills.schedule(now, submit);
      runScheduler.schedule(now, submit, sweepAlways);
    }
    taskRunner.submitAll(submit);
    return changes.get() != before;
  }

  private boolean tickBackfill(long backfillId, long before) {
    Instant now = clock.instant();
    List<TaskInstance> submit = new ArrayList<>();
    taskRunner.heartbeat(now);
    if (executor.interruptExpired(now) > 0) changes.incrementAndGet();
    backfills.advance(backfillId, now, submit, true);
    runScheduler.dispatch(now, submit);
    taskRunner.submitAll(submit);
    return changes.get() != before;
  }

  /** Writes the known DAGs and import errors to the metadata database. */
  public void syncDags() {
    runScheduler.syncDags();
  }

  /** The next time something is due: a run to create, a retry, a reschedule, a timeout. */
  public Optional<Instant> nextDueTime() {
    return runScheduler.nextDueTime();
  }

  // ---------------------------------------------------------------- executor side

}
