package io.sluice.core.engine;

import io.sluice.api.Branch;
import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.RescheduleException;
import io.sluice.api.ServiceTask;
import io.sluice.api.ShortCircuit;
import io.sluice.api.TaskFailedException;
import io.sluice.api.TaskSkippedException;
import io.sluice.api.TaskSpec;
import io.sluice.api.TaskState;
import io.sluice.api.XCom;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.TaskInstanceKey;
import io.sluice.core.schedule.DataInterval;
import io.sluice.core.schedule.NextRun;
import io.sluice.core.service.DagRunService;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import io.sluice.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    WORKER;

    boolean schedules() {
      return this != WORKER;
    }

    boolean executes() {
      return this != SCHEDULER;
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
  private final Sleeper sleeper;
  private final ConnectionResolver connections;
  private final Options options;
  private final Map<String, String> env;
  private final String executorId;
  private final LocalExecutor executor;
  private final DagRunService runs;
  private final Semaphore wakeup = new Semaphore(0);
  private final AtomicLong changes = new AtomicLong();
  private final Map<Dag, Map<String, Integer>> weights = new WeakHashMap<>();
  private volatile Thread loop;
  private volatile boolean stopping;
  private volatile boolean synced;
  private Instant lastHeartbeat = Instant.MIN;
  private Instant lastPrune = Instant.MIN;
  private Instant lastSweep = Instant.MIN;

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
    this.sleeper = sleeper;
    this.connections = connections;
    this.options = options;
    this.env = System.getenv();
    this.executorId = (options.role() == Role.WORKER ? "worker-" : "local-") + UUID.randomUUID();
    this.executor = new LocalExecutor(options.executorThreads(), this::runTask);
    this.runs =
        new DagRunService(store, bag, clock)
            .onChange(
                () -> {
                  changes.incrementAndGet();
                  wakeUp();
                });
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
              while (!stopping) {
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
    stopping = true;
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

  /**
   * One pass; {@code sweepAlways} false lets a wake-up (a trigger) skip the sweep over every
   * running run when the last sweep is less than a tick old.
   */
  private synchronized boolean tick(boolean sweepAlways) {
    long before = changes.get();
    boolean refreshed = bag.refresh();
    if (options.role().schedules() && (refreshed || !synced)) syncDags();
    Instant now = clock.instant();
    List<TaskInstance> submit = new ArrayList<>();
    if (options.role().executes()
        && !Duration.between(lastHeartbeat, now).minus(options.heartbeat()).isNegative()) {
      store.inTransaction(tx -> tx.heartbeat(executorId, now));
      lastHeartbeat = now;
    }
    if (executor.interruptExpired(now) > 0) changes.incrementAndGet();
    handleZombies(now, submit);
    if (options.role() == Role.WORKER) {
      // why: a worker neither creates nor evaluates runs; it only claims what schedulers (and
      // other workers' hand-offs) scheduled.
      store.inTransaction(
          tx -> {
            dispatch(tx, now, submit, 0);
            return null;
          });
      submitAll(submit);
      return changes.get() != before;
    }
    pruneHistory(now);
    Map<String, Boolean> paused = new HashMap<>();
    store.inTransaction(
        tx -> {
          for (DagRecord d : tx.dags()) paused.put(d.dagId(), d.paused());
          return null;
        });
    if (executor.interruptServices(
            k -> paused.getOrDefault(k.dagId(), false), "stopped: DAG paused")
        > 0) changes.incrementAndGet();
    for (DagBag.Entry e : bag.entries()) {
      if (paused.getOrDefault(e.dag().dagId(), false)) continue;
      createScheduledRuns(e, now);
      store.inTransaction(
          tx -> {
            startQueuedRuns(tx, e, now, submit);
            return null;
          });
    }
    // why: hand-offs evaluate a run whenever one of its tasks ends; the sweep over every running
    // run (due retries, DAG changes, depends_on_past) is needed once per tick, not on every
    // wake-up that a trigger causes.
    boolean sweep =
        sweepAlways || !Duration.between(lastSweep, now).minus(options.tick()).isNegative();
    List<DagRun> running =
        sweep ? store.inTransaction(tx -> tx.runsInState(DagRunState.RUNNING)) : List.of();
    if (sweep) lastSweep = now;
    for (DagRun r : running) {
      if (paused.getOrDefault(r.dagId(), false)) continue;
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
    store.inTransaction(
        tx -> {
          dispatch(tx, now, submit, 0);
          return null;
        });
    submitAll(submit);
    return changes.get() != before;
  }

  /** Writes the known DAGs and import errors to the metadata database. */
  public void syncDags() {
    Instant now = clock.instant();
    store.inTransaction(
        tx -> {
          List<String> ids = new ArrayList<>();
          for (DagBag.Entry e : bag.entries()) {
            ids.add(e.dag().dagId());
            tx.upsertDag(e.record(now));
          }
          tx.markActive(ids);
          Map<String, List<ImportError>> bySource = new LinkedHashMap<>();
          for (String s : bag.sources()) bySource.put(s, new ArrayList<>());
          for (ImportError err : bag.importErrors())
            bySource.computeIfAbsent(err.source(), k -> new ArrayList<>()).add(err);
          bySource.forEach(tx::replaceImportErrors);
          tx.retainImportErrors(bySource.keySet());
          return null;
        });
    synced = true;
  }

  /** The next time something is due: a run to create, a retry, a reschedule, a timeout. */
  public Optional<Instant> nextDueTime() {
    Instant now = clock.instant();
    List<Instant> candidates = new ArrayList<>();
    store.inTransaction(tx -> tx.nextReadyAt()).ifPresent(candidates::add);
    executor.nextDeadline().ifPresent(candidates::add);
    Map<String, Boolean> paused = new HashMap<>();
    store.inTransaction(
        tx -> {
          for (DagRecord d : tx.dags()) paused.put(d.dagId(), d.paused());
          return null;
        });
    if (executor.interruptServices(
            k -> paused.getOrDefault(k.dagId(), false), "stopped: DAG paused")
        > 0) changes.incrementAndGet();
    for (DagBag.Entry e : bag.entries()) {
      if (paused.getOrDefault(e.dag().dagId(), false) || e.timetable().manualOnly()) continue;
      Optional<DataInterval> last =
          store
              .inTransaction(tx -> tx.lastScheduledRun(e.dag().dagId()))
              .map(r -> new DataInterval(r.dataIntervalStart(), r.dataIntervalEnd()));
      Dag d = e.dag();
      e.timetable()
          .next(last.orElse(null), d.startDate(), d.endDate(), d.catchup(), now)
          .ifPresent(n -> candidates.add(n.runAfter()));
    }
    return candidates.stream().filter(t -> t.isAfter(now)).min(Instant::compareTo);
  }

  private void createScheduledRuns(DagBag.Entry e, Instant now) {
    Dag dag = e.dag();
    if (e.timetable().manualOnly()) return;
    store.inTransaction(
        tx -> {
          int active =
              tx.countRuns(dag.dagId(), DagRunState.QUEUED)
                  + tx.countRuns(dag.dagId(), DagRunState.RUNNING);
          while (active < dag.maxActiveRuns()) {
            DataInterval last =
                tx.lastScheduledRun(dag.dagId())
                    .map(r -> new DataInterval(r.dataIntervalStart(), r.dataIntervalEnd()))
                    .orElse(null);
            Optional<NextRun> next =
                e.timetable().next(last, dag.startDate(), dag.endDate(), dag.catchup(), now);
            if (next.isEmpty() || next.get().runAfter().isAfter(now)) return null;
            DataInterval iv = next.get().interval();
            DagRun run =
                new DagRun(
                    dag.dagId(),
                    RunType.SCHEDULED.runId(iv.start()),
                    iv.start(),
                    iv.start(),
                    iv.end(),
                    DagRunState.QUEUED,
                    RunType.SCHEDULED,
                    "{}",
                    now,
                    null,
                    null);
            if (!tx.insertRun(run)) return null;
            changes.incrementAndGet();
            active++;
          }
          return null;
        });
  }

  private void startQueuedRuns(
      StoreTransaction tx, DagBag.Entry e, Instant now, List<TaskInstance> submit) {
    Dag dag = e.dag();
    int running = tx.countRuns(dag.dagId(), DagRunState.RUNNING);
    if (running >= dag.maxActiveRuns()) return;
    // why: only the queued runs that may start, not the DAG's whole history, and not those another
    // executor is starting right now; this runs on every run's end.
    List<DagRun> queued = tx.claimQueuedRuns(dag.dagId(), dag.maxActiveRuns() - running);
    for (DagRun r : queued) {
      if (running >= dag.maxActiveRuns()) return;
      DagRun started = r.withState(DagRunState.RUNNING, now, null);
      if (!tx.updateRunState(started, DagRunState.QUEUED)) continue;
      changes.incrementAndGet();
      running++;
      evaluateRun(tx, e, started, now, submit, 0);
    }
  }

  private Map<String, Integer> weights(Dag dag) {
    synchronized (weights) {
      return weights.computeIfAbsent(
          dag,
          d -> {
            Map<String, Integer> w = new HashMap<>();
            for (TaskSpec t : d.tasks().values()) {
              int sum = t.priorityWeight();
              for (String down : d.allDownstream(t.taskId())) sum += d.task(down).priorityWeight();
              w.put(t.taskId(), sum);
            }
            return w;
          });
    }
  }

  /**
   * Brings a (locked) running run up to date: creates missing task instances, marks those of
   * removed tasks, resolves trigger rules in topological order, moves due retries and reschedules
   * to scheduled, ends the run when every task is done, and queues what may run.
   */
  private void evaluateRun(
      StoreTransaction tx,
      DagBag.Entry e,
      DagRun run,
      Instant now,
      List<TaskInstance> submit,
      int freeing) {
    if (run.state() != DagRunState.RUNNING) return;
    Dag dag = e.dag();
    Map<String, TaskInstance> tis = new LinkedHashMap<>();
    for (TaskInstance ti : tx.taskInstances(run.dagId(), run.runId())) tis.put(ti.taskId(), ti);
    List<TaskInstance> missing = new ArrayList<>();
    Map<String, Integer> w = weights(dag);
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
        missing.add(ti);
        tis.put(t.taskId(), ti);
      }
    }
    if (!missing.isEmpty()) {
      tx.insertTaskInstances(missing);
      changes.incrementAndGet();
    }
    for (TaskInstance ti : List.copyOf(tis.values())) {
      if (!dag.tasks().containsKey(ti.taskId())
          && !ti.state().isFinished()
          && !ti.state().isActive()) {
        TaskInstance removed = ti.toBuilder().state(TaskState.REMOVED).endDate(now).build();
        if (tx.updateTaskInstance(removed, ti.state())) tis.put(ti.taskId(), removed);
      }
    }
    for (String id : dag.topologicalOrder()) {
      TaskInstance ti = tis.get(id);
      TaskSpec spec = dag.task(id);
      TaskState s = ti.state();
      if ((s == TaskState.UP_FOR_RETRY || s == TaskState.UP_FOR_RESCHEDULE)
          && ti.readyAt() != null
          && !ti.readyAt().isAfter(now)) {
        TaskInstance next = ti.toBuilder().state(TaskState.SCHEDULED).build();
        if (tx.updateTaskInstance(next, s)) {
          tis.put(id, next);
          changes.incrementAndGet();
        }
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
      if (next != null && tx.updateTaskInstance(next, TaskState.NONE)) {
        tis.put(id, next);
        changes.incrementAndGet();
      }
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
    dispatch(tx, now, submit, freeing);
  }

  private boolean pastSucceeded(StoreTransaction tx, DagRun run, String taskId) {
    Optional<DagRun> prev = tx.previousRun(run.dagId(), run.logicalDate());
    if (prev.isEmpty()) return true;
    return tx.taskInstance(run.dagId(), prev.get().runId(), taskId)
        .map(t -> t.state() == TaskState.SUCCESS || t.state() == TaskState.SKIPPED)
        .orElse(true);
  }

  /**
   * Queues scheduled task instances, highest priority first, within executor, DAG and pool limits.
   */
  private void dispatch(StoreTransaction tx, Instant now, List<TaskInstance> submit, int freeing) {
    if (stopping || !options.role().executes()) return;
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
              p -> tx.pool(p).map(io.sluice.core.model.Pool::slots).orElse(Integer.MAX_VALUE));
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

  private void submitAll(List<TaskInstance> submit) {
    for (TaskInstance ti : submit) {
      if (!executor.submit(ti.key(), ti.priorityWeight())) {
        store.inTransaction(
            tx -> {
              TaskInstance back =
                  ti.toBuilder().state(TaskState.SCHEDULED).executorId(null).build();
              tx.updateTaskInstance(back, TaskState.QUEUED);
              return null;
            });
      }
    }
  }

  /**
   * Deletes finished runs older than the history retention, at most once a minute and in batches,
   * so that the task table and the logs do not grow without bound.
   */
  private void pruneHistory(Instant now) {
    Duration keep = options.historyRetention();
    if (keep.isZero() || keep.isNegative()) return;
    if (Duration.between(lastPrune, now).compareTo(Duration.ofMinutes(1)) < 0) return;
    lastPrune = now;
    int n = store.inTransaction(tx -> tx.pruneFinishedRuns(now.minus(keep), 1000));
    if (n > 0) LOG.info("pruned {} finished DAG runs older than {}", n, keep);
  }

  private void handleZombies(Instant now, List<TaskInstance> submit) {
    List<TaskInstance> stale =
        store.inTransaction(
            tx -> tx.staleTaskInstances(now.minus(options.zombieThreshold()), executorId));
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
                  failedOrRetry(
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
              bag.entry(z.dagId()).ifPresent(e -> evaluateRun(tx, e, run.get(), now, submit, 0));
            }
            return null;
          });
    }
  }

  private static TaskInstance failedOrRetry(
      TaskInstance ti, TaskSpec spec, Instant now, boolean retryable) {
    if (retryable && spec != null && ti.tryNumber() <= ti.maxTries()) {
      Instant at = now.plus(spec.retryDelayAfter(ti.tryNumber()));
      return ti.toBuilder().state(TaskState.UP_FOR_RETRY).endDate(now).readyAt(at).build();
    }
    return ti.toBuilder().state(TaskState.FAILED).endDate(now).build();
  }

  // ---------------------------------------------------------------- executor side

  private record Claim(TaskInstance ti, DagRun run) {}

  private enum Kind {
    SUCCESS,
    SKIPPED,
    RESCHEDULE,
    RETRYABLE_FAILURE,
    FAILURE
  }

  private record Outcome(Kind kind, Object result, Instant rescheduleAt, String message) {}

  private void runTask(TaskInstanceKey key) {
    LocalExecutor.Running slot = executor.register(key);
    try {
      Instant start = clock.instant();
      Claim claim =
          retrying(
              "claim " + key,
              tx -> {
                Optional<TaskInstance> found =
                    tx.taskInstance(key.dagId(), key.runId(), key.taskId());
                if (found.isEmpty()) return null;
                TaskInstance ti = found.get();
                if (ti.state() != TaskState.QUEUED || !executorId.equals(ti.executorId()))
                  return null;
                boolean resume = ti.rescheduled();
                TaskInstance running =
                    ti.toBuilder()
                        .state(TaskState.RUNNING)
                        .tryNumber(resume ? Math.max(ti.tryNumber(), 1) : ti.tryNumber() + 1)
                        .startDate(start)
                        .endDate(null)
                        .readyAt(null)
                        .firstAttemptStart(
                            resume && ti.firstAttemptStart() != null
                                ? ti.firstAttemptStart()
                                : start)
                        .rescheduled(false)
                        .heartbeatAt(start)
                        .note(null)
                        .build();
                if (!tx.updateTaskInstance(running, TaskState.QUEUED)) return null;
                if (!resume) tx.clearXComs(key.dagId(), key.runId(), key.taskId());
                return new Claim(running, tx.run(key.dagId(), key.runId()).orElseThrow());
              });
      if (claim == null) return;
      changes.incrementAndGet();
      TaskInstance ti = claim.ti();
      Optional<DagBag.Entry> entry = bag.entry(key.dagId());
      TaskSpec spec = entry.map(e -> e.dag().tasks().get(key.taskId())).orElse(null);
      BufferedTaskLog log = new BufferedTaskLog(store, ti, clock);
      Outcome outcome;
      if (spec == null) {
        outcome =
            new Outcome(
                Kind.FAILURE, null, null, "task is no longer defined in DAG " + key.dagId());
      } else {
        if (spec.executionTimeout() != null) slot.deadline = start.plus(spec.executionTimeout());
        slot.service = spec.task() instanceof ServiceTask;
        log.info("starting try {} of {} ({})", ti.tryNumber(), ti.maxTries() + 1, key);
        outcome = execute(spec, ti, claim.run(), entry.get().dag(), log, slot);
        if (outcome.message() != null)
          log.line((outcome.kind() == Kind.SUCCESS ? "INFO " : "ERROR ") + outcome.message());
        log.info("try {} ended: {}", ti.tryNumber(), outcome.kind().name().toLowerCase());
      }
      Thread.interrupted();
      finish(ti, spec, entry.orElse(null), outcome, log.drain());
    } catch (RuntimeException e) {
      LOG.error("executor failed on {}", key, e);
    } finally {
      executor.unregister(key);
    }
  }

  private Outcome execute(
      TaskSpec spec,
      TaskInstance ti,
      DagRun run,
      Dag dag,
      BufferedTaskLog log,
      LocalExecutor.Running slot) {
    try {
      RuntimeTaskContext ctx =
          new RuntimeTaskContext(
              ti, run, dag.params(), store, connections, clock, sleeper, log, env);
      Object result = spec.task().execute(ctx);
      if (slot.timedOut) return timeout(spec);
      return new Outcome(Kind.SUCCESS, result, null, null);
    } catch (TaskSkippedException e) {
      return new Outcome(Kind.SKIPPED, null, null, "skipped: " + e.getMessage());
    } catch (RescheduleException e) {
      return new Outcome(Kind.RESCHEDULE, null, e.at(), null);
    } catch (TaskFailedException e) {
      log.error("failed without retry", e);
      return new Outcome(Kind.FAILURE, null, null, e.getMessage());
    } catch (Throwable e) {
      if (slot.timedOut) return timeout(spec);
      if (slot.stopReason != null && e instanceof InterruptedException)
        return new Outcome(Kind.RETRYABLE_FAILURE, null, null, slot.stopReason);
      if (stopping && e instanceof InterruptedException)
        return new Outcome(Kind.RETRYABLE_FAILURE, null, null, "interrupted by executor shutdown");
      log.error("try failed", e);
      if (e instanceof Error err && !(e instanceof AssertionError) && !(e instanceof LinkageError))
        LOG.error("error in task {}", ti.key(), err);
      return new Outcome(Kind.RETRYABLE_FAILURE, null, null, String.valueOf(e));
    }
  }

  private static Outcome timeout(TaskSpec spec) {
    return new Outcome(
        Kind.RETRYABLE_FAILURE,
        null,
        null,
        "execution_timeout of " + spec.executionTimeout() + " exceeded");
  }

  private void finish(
      TaskInstance ti, TaskSpec spec, DagBag.Entry entry, Outcome outcome, List<String> logLines) {
    List<TaskInstance> submit = new ArrayList<>();
    retrying(
        "record the outcome of " + ti.key(),
        tx -> {
          submit.clear();
          // why: the try's last log lines are written with its outcome, saving a transaction.
          tx.appendLog(ti.dagId(), ti.runId(), ti.taskId(), ti.tryNumber(), logLines);
          Optional<DagRun> run = tx.lockRun(ti.dagId(), ti.runId());
          Optional<TaskInstance> cur = tx.taskInstance(ti.dagId(), ti.runId(), ti.taskId());
          if (run.isEmpty() || cur.isEmpty() || cur.get().tryNumber() != ti.tryNumber())
            return null;
          Instant now = clock.instant();
          TaskInstance c = cur.get();
          if (c.state() == TaskState.RESTARTING) {
            tx.updateTaskInstance(
                c.toBuilder().state(TaskState.NONE).endDate(now).build(), TaskState.RESTARTING);
            if (entry != null) evaluateRun(tx, entry, run.get(), now, submit, 1);
            return null;
          }
          if (c.state() != TaskState.RUNNING) return null;
          TaskInstance next =
              switch (outcome.kind()) {
                case SUCCESS -> c.toBuilder().state(TaskState.SUCCESS).endDate(now).build();
                case SKIPPED ->
                    c.toBuilder()
                        .state(TaskState.SKIPPED)
                        .endDate(now)
                        .note(outcome.message())
                        .build();
                case RESCHEDULE ->
                    c.toBuilder()
                        .state(TaskState.UP_FOR_RESCHEDULE)
                        .endDate(now)
                        .readyAt(outcome.rescheduleAt())
                        .rescheduled(true)
                        .build();
                case RETRYABLE_FAILURE ->
                    failedOrRetry(c, spec, now, true).toBuilder().note(outcome.message()).build();
                case FAILURE ->
                    failedOrRetry(c, spec, now, false).toBuilder().note(outcome.message()).build();
              };
          Object result = outcome.result();
          if (outcome.kind() == Kind.SUCCESS && result != null) {
            String encoded;
            try {
              encoded =
                  XComCodec.encode(
                      result instanceof Branch b
                          ? List.copyOf(b.follow())
                          : result instanceof ShortCircuit s ? s.proceed() : result);
            } catch (IllegalArgumentException e) {
              next =
                  c.toBuilder().state(TaskState.FAILED).endDate(now).note(e.getMessage()).build();
              encoded = null;
            }
            if (encoded != null)
              tx.putXCom(c.dagId(), c.runId(), c.taskId(), XCom.RETURN_VALUE, encoded);
          }
          if (!tx.updateTaskInstance(next, TaskState.RUNNING)) return null;
          changes.incrementAndGet();
          if (entry != null && next.state() == TaskState.SUCCESS)
            applyFlowControl(tx, entry.dag(), c, result, now);
          if (entry != null) evaluateRun(tx, entry, run.get(), now, submit, 1);
          return null;
        });
    submitAll(submit);
  }

  /**
   * Runs a transaction, retrying a few times with backoff when the database fails it (a lock
   * timeout, a serialisation failure); the work must be safe to repeat.
   */
  private <T> T retrying(String what, MetadataStore.TransactionWork<T> work) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        return store.inTransaction(work);
      } catch (io.sluice.core.store.StoreException e) {
        last = e;
        LOG.warn("cannot {} (attempt {}): {}", what, attempt + 1, e.getMessage());
        try {
          Thread.sleep(20L << attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw last;
  }

  private void applyFlowControl(
      StoreTransaction tx, Dag dag, TaskInstance ti, Object result, Instant now) {
    Collection<String> toSkip;
    if (result instanceof Branch b) {
      toSkip = dag.downstream(ti.taskId()).stream().filter(d -> !b.follow().contains(d)).toList();
    } else if (result instanceof ShortCircuit s && !s.proceed()) {
      toSkip = dag.allDownstream(ti.taskId());
    } else {
      return;
    }
    for (String id : toSkip) {
      tx.taskInstance(ti.dagId(), ti.runId(), id)
          .filter(t -> t.state() == TaskState.NONE)
          .ifPresent(
              t ->
                  tx.updateTaskInstance(
                      t.toBuilder().state(TaskState.SKIPPED).endDate(now).build(), TaskState.NONE));
    }
  }
}
