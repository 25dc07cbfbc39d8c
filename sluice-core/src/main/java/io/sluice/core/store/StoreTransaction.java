package io.sluice.core.store;

import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.Lease;
import io.sluice.core.model.Pool;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.TaskInstanceKey;
import io.sluice.core.model.XComEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The repositories of the metadata database, bound to one open transaction. Used only on the thread
 * that opened it. Methods throw {@link StoreException} on database errors, which rolls the
 * transaction back.
 */
public interface StoreTransaction {

  /** Inserts the DAG (unpaused unless {@code paused}) or updates everything but its paused flag. */
  void upsertDag(DagRecord dag);

  Optional<DagRecord> dag(String dagId);

  List<DagRecord> dags();

  /** Marks DAGs whose definition has disappeared as inactive, the others active. */
  void markActive(Collection<String> activeDagIds);

  /** Returns false when the DAG does not exist. */
  boolean setPaused(String dagId, boolean paused);

  /**
   * Inserts a run; false (and nothing written) when one exists with the same run id or logical
   * date.
   */
  boolean insertRun(DagRun run);

  Optional<DagRun> run(String dagId, String runId);

  /** The run, with its row locked until the transaction ends ({@code SELECT ... FOR UPDATE}). */
  Optional<DagRun> lockRun(String dagId, String runId);

  /**
   * The run with its row locked, or empty when another transaction holds the lock ({@code SELECT
   * ... FOR UPDATE SKIP LOCKED}): whoever holds it is evaluating the run already.
   */
  Optional<DagRun> tryLockRun(String dagId, String runId);

  /** Runs of a DAG, newest logical date first. */
  List<DagRun> runs(String dagId, int limit);

  List<DagRun> runsInState(DagRunState state);

  /**
   * Locks up to {@code limit} queued runs of a DAG, oldest logical date first, skipping runs other
   * transactions hold ({@code FOR UPDATE SKIP LOCKED}): when several executors end runs at once,
   * each starts different queued runs instead of queueing behind one another's locks.
   */
  List<DagRun> claimQueuedRuns(String dagId, int limit);

  /** The latest run created by the schedule (not by hand, not by backfill). */
  Optional<DagRun> lastScheduledRun(String dagId);

  /** The run with the greatest logical date before {@code logicalDate}. */
  Optional<DagRun> previousRun(String dagId, Instant logicalDate);

  /** Runs of a DAG in {@code state}, those made by a backfill not counted. */
  int countRuns(String dagId, DagRunState state);

  /** The run of a DAG at a logical date (there is at most one). */
  Optional<DagRun> runAt(String dagId, Instant logicalDate);

  /** Conditional update: false when the run is no longer in {@code expected}. */
  boolean updateRunState(DagRun run, DagRunState expected);

  void insertTaskInstances(Collection<TaskInstance> instances);

  List<TaskInstance> taskInstances(String dagId, String runId);

  /** The run's instances of the tasks in {@code taskIds} that exist, in no particular order. */
  default List<TaskInstance> taskInstances(String dagId, String runId, Collection<String> taskIds) {
    return taskInstances(dagId, runId).stream().filter(t -> taskIds.contains(t.taskId())).toList();
  }

  Optional<TaskInstance> taskInstance(String dagId, String runId, String taskId);

  /** A task instance with its run, in one round trip where the store can. */
  default Optional<TaskInstanceOfRun> taskInstanceOfRun(String dagId, String runId, String taskId) {
    return taskInstance(dagId, runId, taskId)
        .map(ti -> new TaskInstanceOfRun(ti, run(dagId, runId).orElseThrow()));
  }

  /**
   * The end of a try as its hand-off begins: appends the last log {@code lines} of try {@code
   * tryNumber} of {@code key} ({@link #appendLog}), locks the run ({@link #lockRun}), then reads,
   * under the lock, the run's instances of {@code taskIds} ({@link #taskInstances(String, String,
   * Collection)}) or, when null, all of them ({@link #taskInstances(String, String)}); in one round
   * trip where the store can. Empty when the run does not exist.
   */
  default Optional<LockedRun> appendLogAndLockRun(
      TaskInstanceKey key, int tryNumber, List<String> lines, Collection<String> taskIds) {
    String dagId = key.dagId();
    String runId = key.runId();
    appendLog(dagId, runId, key.taskId(), tryNumber, lines);
    Optional<DagRun> run = lockRun(dagId, runId);
    if (run.isEmpty()) return Optional.empty();
    return Optional.of(
        new LockedRun(
            run.get(),
            taskIds == null ? taskInstances(dagId, runId) : taskInstances(dagId, runId, taskIds)));
  }

  /**
   * Conditional update of every mutable field: false when the stored instance is no longer in
   * {@code expected} state (someone else claimed or changed it).
   */
  boolean updateTaskInstance(TaskInstance instance, TaskState expected);

  /**
   * The state transition of an instance read in this transaction, from {@code from} to {@code to}:
   * as {@code updateTaskInstance(to, from.state())}, except that a store may write only the fields
   * that differ between the two and leave the others as stored.
   */
  default boolean transition(TaskInstance from, TaskInstance to) {
    return updateTaskInstance(to, from.state());
  }

  /**
   * {@link #transition} of each {@code from.get(i)} to {@code to.get(i)}, in one round trip where
   * the store can; element {@code i} of the result says whether instance {@code i} was updated.
   */
  default boolean[] transitions(List<TaskInstance> from, List<TaskInstance> to) {
    boolean[] done = new boolean[to.size()];
    for (int i = 0; i < done.length; i++) done[i] = transition(from.get(i), to.get(i));
    return done;
  }

  /**
   * The claim of an instance that this process queued, without reading it first: its transition
   * from {@code queued} (as the dispatch wrote it) to {@code running}; false, and nothing written,
   * unless the row is still queued for the same executor, try number and tries. A store whose
   * {@link MetadataStore#inStatement} runs without a transaction writes it in one statement.
   */
  default boolean claimQueued(TaskInstance queued, TaskInstance running) {
    Optional<TaskInstance> stored = taskInstance(queued.dagId(), queued.runId(), queued.taskId());
    if (stored.isEmpty()) return false;
    TaskInstance s = stored.get();
    if (s.state() != TaskState.QUEUED
        || !Objects.equals(s.executorId(), queued.executorId())
        || s.tryNumber() != queued.tryNumber()
        || s.maxTries() != queued.maxTries()) return false;
    return transition(s, running);
  }

  /** Instances in {@code state} whose {@code ready_at} is at or before {@code before}. */
  List<TaskInstance> dueTaskInstances(TaskState state, Instant before);

  /** The earliest {@code ready_at} of instances up for retry or reschedule. */
  Optional<Instant> nextReadyAt();

  /**
   * Locks up to {@code limit} scheduled instances, highest priority first, skipping rows other
   * transactions hold ({@code FOR UPDATE SKIP LOCKED}).
   */
  List<TaskInstance> claimScheduled(int limit);

  /**
   * {@link #claimScheduled}, then the limits of a dispatch ({@link #activeTasks}) for {@code
   * dagIds} and {@code pools} and those of the claimed rows, read after the claim; in one round
   * trip where the store can.
   */
  default ClaimedScheduled claimScheduledAndLimits(
      int limit, Collection<String> dagIds, Collection<String> pools) {
    List<TaskInstance> claimed = claimScheduled(limit);
    Set<String> d = new HashSet<>(dagIds);
    Set<String> p = new HashSet<>(pools);
    for (TaskInstance ti : claimed) {
      d.add(ti.dagId());
      p.add(ti.pool());
    }
    return new ClaimedScheduled(claimed, activeTasks(d, p));
  }

  /**
   * The {@link #transition} of {@code from} to {@code to} (a task's outcome), then {@link
   * #claimScheduledAndLimits}, so that the limits see the outcome; in one round trip where the
   * store can. Null when the row is no longer in {@code from}'s state: then nothing is written, and
   * the rows the claim may have locked stay locked until this transaction ends.
   */
  default ClaimedScheduled transitionAndClaimScheduled(
      TaskInstance from,
      TaskInstance to,
      int limit,
      Collection<String> dagIds,
      Collection<String> pools) {
    if (!transition(from, to)) return null;
    return claimScheduledAndLimits(limit, dagIds, pools);
  }

  /** Instances of a DAG that are queued or running. */
  int countActiveTasks(String dagId);

  /** Pool slots taken by queued and running instances. */
  int usedPoolSlots(String pool);

  Optional<Pool> pool(String name);

  /**
   * The active task counts of {@code dagIds} and the used and total slots of {@code pools}, in one
   * round trip where the store can.
   */
  default ActiveTasks activeTasks(Collection<String> dagIds, Collection<String> pools) {
    Map<String, Integer> perDag = new HashMap<>();
    for (String d : dagIds) perDag.put(d, countActiveTasks(d));
    Map<String, Integer> used = new HashMap<>();
    Map<String, Integer> slots = new HashMap<>();
    for (String p : pools) {
      used.put(p, usedPoolSlots(p));
      pool(p).ifPresent(pool -> slots.put(p, pool.slots()));
    }
    return new ActiveTasks(perDag, used, slots);
  }

  List<Pool> pools();

  void upsertPool(Pool pool);

  /** Returns false when there is no such pool. */
  boolean deletePool(String name);

  /** Sets {@code heartbeat_at} of the executor's queued and running instances; returns how many. */
  int heartbeat(String executorId, Instant now);

  /**
   * Queued or running instances of other executors whose last heartbeat is before {@code before}.
   */
  List<TaskInstance> staleTaskInstances(Instant before, String exceptExecutorId);

  /**
   * Deletes up to {@code limit} runs that finished (success or failed) before {@code endedBefore},
   * with their task instances, XComs and logs; the latest scheduled run of each DAG is kept, since
   * the next scheduled interval follows it. Returns how many runs were deleted.
   */
  int pruneFinishedRuns(Instant endedBefore, int limit);

  /** Deletes a run with its task instances, XComs and logs; false when it does not exist. */
  boolean deleteRun(String dagId, String runId);

  /**
   * Deletes a DAG's row with all its runs, task instances, XComs and logs; returns how many runs
   * were deleted, or -1 when the DAG does not exist.
   */
  int deleteDag(String dagId);

  /** Stores an XCom value, replacing one with the same key. */
  void putXCom(String dagId, String runId, String taskId, String key, String value);

  Optional<String> xcom(String dagId, String runId, String taskId, String key);

  /** The XComs of a task instance, by key. */
  List<XComEntry> xcoms(String dagId, String runId, String taskId);

  /** Removes a task's XComs (when it is cleared or starts a new try). */
  void clearXComs(String dagId, String runId, String taskId);

  Optional<String> variable(String key);

  void setVariable(String key, String value, String description);

  boolean deleteVariable(String key);

  Map<String, String> variables();

  void appendLog(String dagId, String runId, String taskId, int tryNumber, List<String> lines);

  List<String> readLog(String dagId, String runId, String taskId, int tryNumber);

  /**
   * Stores what one try rendered, replacing what was stored for that try; the task instance must
   * exist. Deleted with the task instance.
   */
  void putRenderedFields(RenderedFields rendered);

  /** What the tries of a run's task instances rendered, by task id, then try number. */
  List<RenderedFields> renderedFields(String dagId, String runId);

  /** Replaces the import errors of one source (file or provider). */
  void replaceImportErrors(String source, List<ImportError> errors);

  /** Removes import errors of sources not in {@code sources}. */
  void retainImportErrors(Collection<String> sources);

  List<ImportError> importErrors();

  /**
   * Inserts a backfill with its logical dates, in the order the scheduler is to take them (sort
   * ordinal 0 first), all pending; returns the id the store gave it.
   */
  long insertBackfill(Backfill backfill, List<Instant> logicalDates);

  Optional<Backfill> backfill(long id);

  /**
   * The backfill, with its row locked until the transaction ends ({@code SELECT ... FOR UPDATE}).
   */
  Optional<Backfill> lockBackfill(long id);

  /** Backfills, newest first; {@code dagId} null for every DAG. */
  List<Backfill> backfills(String dagId);

  /** Backfills not completed, oldest first. */
  List<Backfill> activeBackfills();

  /** Updates the paused flag, {@code completed_at} and {@code updated_at}; false when not found. */
  boolean updateBackfill(Backfill backfill);

  /** The backfill's logical dates, by sort ordinal. */
  List<BackfillDagRun> backfillDagRuns(long backfillId);

  /** Records the run a backfill made for a date, or why it skipped the date. */
  void updateBackfillDagRun(BackfillDagRun run);

  /**
   * Takes the lease {@code wanted.name()} for {@code wanted}'s owner when nobody holds it or its
   * holder let it expire before {@code now}, keeping the pid and query ids the previous holder
   * recorded (unless {@code wanted} names its own); a live lease of another holder is left as it
   * is. Returns the lease as stored afterwards: the caller holds it when its token is {@code
   * wanted}'s. The row is locked, so two owners never both take it.
   */
  Lease acquireLease(Lease wanted, Instant now);

  /**
   * Records the supervised process's id and query ids and sets the expiry, if the lease {@code
   * name} is still held with {@code token}; false when it is not (released or taken over).
   */
  boolean renewLease(
      String name, String token, Long pid, String queryIds, Instant renewedAt, Instant expiresAt);

  /** Deletes the lease if held with {@code token}; false when it is not. */
  boolean releaseLease(String name, String token);

  Optional<Lease> lease(String name);

  /** Every lease, live or expired, by name. */
  List<Lease> leases();
}
