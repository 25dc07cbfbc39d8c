package io.sluice.core.engine;

import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.TaskInstanceKey;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreException;
import io.sluice.core.store.StoreTransaction;
import io.sluice.core.store.TaskInstanceOfRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claims of one executor: a task instance queued for it goes from queued to running when an
 * executor thread takes it. An instance that this process queued in a run's hand-off is remembered
 * with its run until then, so that its claim writes it without reading it and its run first.
 */
final class TaskClaims {
  private static final Logger LOG = LoggerFactory.getLogger(TaskClaims.class);

  private record Queued(TaskInstance instance, DagRun run) {}

  /** A claimed instance, as it is now running, and its run. */
  record Claim(TaskInstance instance, DagRun run) {}

  private final String executorId;
  private final Map<TaskInstanceKey, Queued> queued = new ConcurrentHashMap<>();

  TaskClaims(String executorId) {
    this.executorId = executorId;
  }

  /** Remembers the instances in {@code submit} that belong to {@code run}, as they were queued. */
  void queued(List<TaskInstance> submit, DagRun run) {
    for (TaskInstance ti : submit)
      if (ti.dagId().equals(run.dagId()) && ti.runId().equals(run.runId()))
        queued.put(ti.key(), new Queued(ti, run));
  }

  /** Forgets what {@link #queued} remembered of {@code key} (it was not handed to a thread). */
  void forget(TaskInstanceKey key) {
    queued.remove(key);
  }

  /**
   * Claims {@code key} at {@code start} in a single statement of its own ({@link
   * MetadataStore#inStatement}: no commit round trip), when this process queued it and its claim
   * writes nothing else (a first try, or a reschedule resuming: no XComs to clear). Null when it
   * does not, or the row changed since it was queued: then {@link #claim} reads and claims it.
   */
  Claim claimKnown(MetadataStore store, TaskInstanceKey key, Instant start) {
    Queued known = queued.get(key);
    if (known == null || clearsXComs(known.instance())) return null;
    queued.remove(key);
    TaskInstance running = running(known.instance(), start);
    try {
      if (store.inStatement(tx -> tx.claimQueued(known.instance(), running)))
        return new Claim(running, known.run());
    } catch (StoreException e) {
      LOG.warn("cannot claim {} as queued, reading it: {}", key, e.getMessage());
    }
    return null;
  }

  /**
   * Claims {@code key} at {@code start}, in {@code tx}: null when it is no longer queued for this
   * executor.
   */
  Claim claim(StoreTransaction tx, TaskInstanceKey key, Instant start) {
    Queued known = queued.remove(key);
    // why: the row as this process queued it, unless something changed it since (then it is read)
    if (known != null) {
      TaskInstance running = running(known.instance(), start);
      if (tx.claimQueued(known.instance(), running))
        return claimed(tx, known.instance(), running, known.run());
    }
    Optional<TaskInstanceOfRun> found =
        tx.taskInstanceOfRun(key.dagId(), key.runId(), key.taskId());
    if (found.isEmpty()) return null;
    TaskInstance ti = found.get().instance();
    if (ti.state() != TaskState.QUEUED || !executorId.equals(ti.executorId())) return null;
    TaskInstance running = running(ti, start);
    if (!tx.transition(ti, running)) return null;
    return claimed(tx, ti, running, found.get().run());
  }

  private static Claim claimed(
      StoreTransaction tx, TaskInstance ti, TaskInstance running, DagRun run) {
    if (clearsXComs(ti)) tx.clearXComs(ti.dagId(), ti.runId(), ti.taskId());
    return new Claim(running, run);
  }

  /** Whether claiming {@code ti} clears its XComs: a new try, but not the first. */
  private static boolean clearsXComs(TaskInstance ti) {
    // why: a first try has no XComs to clear (clearing keeps the try number)
    return !ti.rescheduled() && ti.tryNumber() > 0;
  }

  private static TaskInstance running(TaskInstance ti, Instant start) {
    boolean resume = ti.rescheduled();
    return ti.toBuilder()
        .state(TaskState.RUNNING)
        .tryNumber(resume ? Math.max(ti.tryNumber(), 1) : ti.tryNumber() + 1)
        .startDate(start)
        .endDate(null)
        .readyAt(null)
        .firstAttemptStart(
            resume && ti.firstAttemptStart() != null ? ti.firstAttemptStart() : start)
        .rescheduled(false)
        .heartbeatAt(start)
        .note(null)
        .build();
  }
}
