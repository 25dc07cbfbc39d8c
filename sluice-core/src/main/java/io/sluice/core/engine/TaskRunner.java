package io.sluice.core.engine;

import io.sluice.api.Branch;
import io.sluice.api.Dag;
import io.sluice.api.RescheduleException;
import io.sluice.api.ServiceTask;
import io.sluice.api.ShortCircuit;
import io.sluice.api.TaskFailedException;
import io.sluice.api.TaskSkippedException;
import io.sluice.api.TaskSpec;
import io.sluice.api.TaskState;
import io.sluice.api.XCom;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.TaskInstanceKey;
import io.sluice.core.store.LockedRun;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import io.sluice.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executing half of the engine: claims a task instance queued for this executor, runs its task
 * on an executor thread, and records the outcome. Recording the outcome, the trigger rules of its
 * run and the queueing of ready downstream tasks are one transaction under the run's row lock; the
 * queued tasks go to the executor right after the commit (the hand-off). It also sends this
 * executor's heartbeats.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

  private final MetadataStore store;
  private final DagBag bag;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ConnectionResolver connections;
  private final Map<String, String> env;
  private final LocalExecutor executor;
  private final String executorId;
  private final RunScheduler runs;
  private final Duration heartbeat;
  private final AtomicLong changes;
  private final AtomicBoolean stopping;
  private final TaskClaims claims;
  private Instant lastHeartbeat = Instant.MIN;

  TaskRunner(
      MetadataStore store,
      DagBag bag,
      Clock clock,
      Sleeper sleeper,
      ConnectionResolver connections,
      LocalExecutor executor,
      String executorId,
      RunScheduler runs,
      Duration heartbeat,
      AtomicLong changes,
      AtomicBoolean stopping) {
    this.store = store;
    this.bag = bag;
    this.clock = clock;
    this.sleeper = sleeper;
    this.connections = connections;
    this.env = System.getenv();
    this.executor = executor;
    this.executorId = executorId;
    this.claims = new TaskClaims(executorId);
    this.runs = runs;
    this.heartbeat = heartbeat;
    this.changes = changes;
    this.stopping = stopping;
  }

  /**
   * Refreshes the heartbeat of this executor's instances when the last is older than its period.
   */
  void heartbeat(Instant now) {
    if (Duration.between(lastHeartbeat, now).minus(heartbeat).isNegative()) return;
    store.inTransaction(tx -> tx.heartbeat(executorId, now));
    lastHeartbeat = now;
  }

  private enum Kind {
    SUCCESS,
    SKIPPED,
    RESCHEDULE,
    RETRYABLE_FAILURE,
    FAILURE
  }

  private record Outcome(Kind kind, Object result, Instant rescheduleAt, String message) {}

  /** Claims a queued task instance of this executor, executes it and records its outcome. */
  void run(TaskInstanceKey key) {
    LocalExecutor.Running slot = executor.register(key);
    try {
      Instant start = clock.instant();
      TaskClaims.Claim claim = claims.claimKnown(store, key, start);
      if (claim == null) claim = retrying("claim " + key, tx -> claims.claim(tx, key, start));
      if (claim == null) return;
      changes.incrementAndGet();
      TaskInstance ti = claim.instance();
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
    RuntimeTaskContext ctx = null;
    try {
      ctx =
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
      if (stopping.get() && e instanceof InterruptedException)
        return new Outcome(Kind.RETRYABLE_FAILURE, null, null, "interrupted by executor shutdown");
      log.error("try failed", e);
      if (e instanceof Error err && !(e instanceof AssertionError) && !(e instanceof LinkageError))
        LOG.error("error in task {}", ti.key(), err);
      return new Outcome(Kind.RETRYABLE_FAILURE, null, null, String.valueOf(e));
    } finally {
      if (ctx != null) recordRendered(ti, ctx.renderedFields());
    }
  }

  /** Stores what the try rendered; a failure to store it is logged and does not fail the try. */
  private void recordRendered(TaskInstance ti, Map<String, String> fields) {
    if (fields.isEmpty()) return;
    RenderedFields r =
        new RenderedFields(ti.dagId(), ti.runId(), ti.taskId(), ti.tryNumber(), fields);
    try {
      store.inTransaction(
          tx -> {
            tx.putRenderedFields(r);
            return null;
          });
    } catch (RuntimeException e) {
      LOG.warn("cannot record the rendered fields of {}", ti.key(), e);
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
    Object result = outcome.result();
    // why: when this task alone decides each of its downstream tasks, its hand-off reads only
    // those rows, not every task instance of the run
    Set<String> sole =
        entry != null
                && outcome.kind() == Kind.SUCCESS
                && !(result instanceof Branch)
                && !(result instanceof ShortCircuit)
            ? RunScheduler.soleDownstream(entry.dag(), ti.taskId())
            : null;
    DagRun[] handedOff = new DagRun[1];
    retrying(
        "record the outcome of " + ti.key(),
        tx -> {
          submit.clear();
          // why: the try's last log lines are written with its outcome, saving a transaction, and
          // with the run's lock and the read under it, saving round trips; the run's evaluation
          // below needs every task instance, so one read serves both
          Optional<LockedRun> locked =
              tx.appendLogAndLockRun(ti.key(), ti.tryNumber(), logLines, read(ti, sole));
          if (locked.isEmpty()) return null;
          DagRun run = locked.get().run();
          handedOff[0] = run;
          List<TaskInstance> all = new ArrayList<>(locked.get().instances());
          int at = indexOf(all, ti.taskId());
          if (at < 0 || all.get(at).tryNumber() != ti.tryNumber()) return null;
          Instant now = clock.instant();
          TaskInstance c = all.get(at);
          if (c.state() == TaskState.RESTARTING) {
            TaskInstance reset = c.toBuilder().state(TaskState.NONE).endDate(now).build();
            if (tx.transition(c, reset) && sole == null) all.set(at, reset);
            else all = null;
            if (entry != null) runs.evaluateRun(tx, entry, run, now, submit, 1, all);
            return null;
          }
          if (c.state() != TaskState.RUNNING) return null;
          TaskInstance next = next(c, spec, outcome, now);
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
          // why: the hand-off writes the outcome itself, with the claim of its dispatch
          if (sole != null) {
            if (runs.handOff(tx, entry, run, now, submit, c, next, all)) changes.incrementAndGet();
            return null;
          }
          if (!tx.transition(c, next)) return null;
          changes.incrementAndGet();
          all.set(at, next);
          if (entry == null) return null;
          if (next.state() == TaskState.SUCCESS
              && applyFlowControl(tx, entry.dag(), c, result, now)) all = null;
          runs.evaluateRun(tx, entry, run, now, submit, 1, all);
          return null;
        });
    if (handedOff[0] != null) claims.queued(submit, handedOff[0]);
    submitAll(submit);
  }

  /**
   * The task ids of the instances a hand-off reads: this one and its {@code sole} downstream tasks,
   * or null for all of the run's.
   */
  private static Set<String> read(TaskInstance ti, Set<String> sole) {
    if (sole == null) return null;
    Set<String> ids = new LinkedHashSet<>(sole);
    ids.add(ti.taskId());
    return ids;
  }

  /** The state a running instance goes to for {@code outcome}. */
  private static TaskInstance next(TaskInstance c, TaskSpec spec, Outcome outcome, Instant now) {
    return switch (outcome.kind()) {
      case SUCCESS -> c.toBuilder().state(TaskState.SUCCESS).endDate(now).build();
      case SKIPPED ->
          c.toBuilder().state(TaskState.SKIPPED).endDate(now).note(outcome.message()).build();
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

  private static int indexOf(List<TaskInstance> tis, String taskId) {
    for (int i = 0; i < tis.size(); i++) if (tis.get(i).taskId().equals(taskId)) return i;
    return -1;
  }

  /** Skips what a branch or short-circuit result rules out; returns whether it may have. */
  private boolean applyFlowControl(
      StoreTransaction tx, Dag dag, TaskInstance ti, Object result, Instant now) {
    Collection<String> toSkip;
    if (result instanceof Branch b) {
      toSkip = dag.downstream(ti.taskId()).stream().filter(d -> !b.follow().contains(d)).toList();
    } else if (result instanceof ShortCircuit s && !s.proceed()) {
      toSkip = dag.allDownstream(ti.taskId());
    } else {
      return false;
    }
    for (String id : toSkip) {
      tx.taskInstance(ti.dagId(), ti.runId(), id)
          .filter(t -> t.state() == TaskState.NONE)
          .ifPresent(
              t ->
                  tx.updateTaskInstance(
                      t.toBuilder().state(TaskState.SKIPPED).endDate(now).build(), TaskState.NONE));
    }
    return true;
  }

  /** Hands queued task instances to the executor; those it refuses go back to scheduled. */
  void submitAll(List<TaskInstance> submit) {
    for (TaskInstance ti : submit) {
      if (!executor.submit(ti.key(), ti.priorityWeight())) {
        claims.forget(ti.key());
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

  /** Up for retry when the try may be retried and tries are left, else failed. */
  static TaskInstance failedOrRetry(
      TaskInstance ti, TaskSpec spec, Instant now, boolean retryable) {
    if (retryable && spec != null && ti.tryNumber() <= ti.maxTries()) {
      Instant at = now.plus(spec.retryDelayAfter(ti.tryNumber()));
      return ti.toBuilder().state(TaskState.UP_FOR_RETRY).endDate(now).readyAt(at).build();
    }
    return ti.toBuilder().state(TaskState.FAILED).endDate(now).build();
  }
}
