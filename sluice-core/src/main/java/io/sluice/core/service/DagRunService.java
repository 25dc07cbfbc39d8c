package io.sluice.core.service;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.InvalidParamException;
import io.sluice.api.TaskState;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.RunClearing;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.params.ParamValidator;
import io.sluice.core.schedule.DataInterval;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operations on DAGs and their runs that the CLI, the REST API and the UI offer: trigger,
 * clear, pause, mark a run or a task success or failed, delete a run, await a run. Every client
 * calls this one service and prints its view records ({@link DagRunView}, {@link TaskInstanceView},
 * {@link DagView}).
 *
 * <p>It only writes the metadata database; a scheduler (in this process or another) runs what it
 * writes. When a scheduler runs in this process, {@link #onChange} wakes it at once.
 *
 * <p>Every method is blocking (one or a few short transactions) and throws {@link ServiceException}
 * when the request cannot be carried out, and {@link io.sluice.core.store.StoreException} when the
 * database fails.
 *
 * {@snippet :
 * DagRunService runs = new DagRunService(store, bag, Clock.systemUTC());
 * DagRunView run = runs.trigger("weather_daily", "{}", null);
 * DagRunView done = runs.await(run.dagId(), run.runId(), Duration.ofMinutes(5));
 * }
 */
public final class DagRunService {

  private final MetadataStore store;
  private final DagBag bag;
  private final Clock clock;
  private volatile Runnable onChange = () -> {};

  /**
   * @param bag the DAG definitions; triggers and backfills need the DAG's timetable
   */
  public DagRunService(MetadataStore store, DagBag bag, Clock clock) {
    this.store = store;
    this.bag = bag;
    this.clock = clock;
  }

  /** Calls {@code listener} after every write (an in-process scheduler's wake-up). */
  public DagRunService onChange(Runnable listener) {
    this.onChange = listener;
    return this;
  }

  /** Tells the listener of {@link #onChange} that something was written. */
  void changed() {
    onChange.run();
  }

  public DagBag dagBag() {
    return bag;
  }

  public Clock clock() {
    return clock;
  }

  public MetadataStore store() {
    return store;
  }

  /** The stored DAG; NOT_FOUND when the metadata database does not know it. */
  public DagView dag(String dagId) {
    return DagView.of(dagRecord(dagId));
  }

  /** The run, or the newest run when {@code runId} is {@code latest}; NOT_FOUND when none. */
  public DagRunView run(String dagId, String runId) {
    return DagRunView.of(dagRun(dagId, runId));
  }

  /** Runs of a DAG, newest logical date first; {@code state} null for any. */
  public List<DagRunView> runs(String dagId, DagRunState state, int limit) {
    return store.inTransaction(tx -> tx.runs(dagId, limit)).stream()
        .filter(r -> state == null || r.state() == state)
        .map(DagRunView::of)
        .toList();
  }

  /** The run's task instances; NOT_FOUND when the run does not exist. */
  public List<TaskInstanceView> taskInstances(String dagId, String runId) {
    DagRun run = dagRun(dagId, runId);
    return store.inTransaction(tx -> tx.taskInstances(dagId, run.runId())).stream()
        .map(TaskInstanceView::of)
        .toList();
  }

  /** One task instance; NOT_FOUND when it does not exist. */
  public TaskInstanceView taskInstance(String dagId, String runId, String taskId) {
    DagRun run = dagRun(dagId, runId);
    return store
        .inTransaction(tx -> tx.taskInstance(dagId, run.runId(), taskId))
        .map(TaskInstanceView::of)
        .orElseThrow(
            () ->
                ServiceException.notFound(
                    "task instance '" + taskId + "' of run '" + run.runId() + "' not found"));
  }

  /**
   * Creates a manual run (Airflow's {@code dags trigger}); a scheduler starts it within {@code
   * max_active_runs}. Returns at once.
   *
   * @param confJson the run configuration, a JSON object; null or blank for none
   * @param logicalDate the run's logical date, or null for now
   * @throws ServiceException NOT_FOUND for an unknown DAG, CONFLICT when the DAG has no loaded
   *     definition or a run exists for that logical date, INVALID for a bad conf or date
   */
  public DagRunView trigger(String dagId, String confJson, Instant logicalDate) {
    return trigger(dagId, null, confJson, logicalDate);
  }

  /**
   * As {@link #trigger(String, String, Instant)}, with the run id chosen by the caller (Airflow's
   * {@code dag_run_id}).
   *
   * @param runId the run id, or null for {@code manual__<logical date>}
   * @throws ServiceException CONFLICT also when a run with that id exists
   */
  public DagRunView trigger(String dagId, String runId, String confJson, Instant logicalDate) {
    return create(RunType.MANUAL, dagId, runId, confJson, logicalDate);
  }

  /**
   * As {@link #trigger(String, String, Instant)}, creating a {@code test} run: only an engine of
   * role {@code TEST} starts it ({@code sluice dags test}, on a store of its own).
   */
  public DagRunView triggerTest(String dagId, String confJson, Instant logicalDate) {
    return create(RunType.TEST, dagId, null, confJson, logicalDate);
  }

  private DagRunView create(
      RunType type, String dagId, String runId, String confJson, Instant logicalDate) {
    DagBag.Entry e = entry(dagId);
    Instant now = clock.instant();
    try {
      ParamValidator.validate(e.dag(), confJson, logicalDate, now);
    } catch (InvalidParamException ex) {
      throw ServiceException.invalid(ex);
    }
    Instant logical = (logicalDate == null ? now : logicalDate).truncatedTo(ChronoUnit.MICROS);
    DataInterval iv = e.timetable().manualInterval(logical);
    DagRun run =
        new DagRun(
            dagId,
            runId == null || runId.isBlank() ? type.runId(logical) : runId,
            logical,
            iv.start(),
            iv.end(),
            DagRunState.QUEUED,
            type,
            confJson == null || confJson.isBlank() ? "{}" : confJson,
            now,
            null,
            null);
    boolean created =
        store.inTransaction(
            tx -> {
              ensureDagRecord(tx, e, now);
              return tx.insertRun(run);
            });
    if (!created)
      throw ServiceException.conflict(
          "a run of '"
              + dagId
              + "' already exists for logical date "
              + logical
              + (runId == null ? "" : " or with run id '" + runId + "'"));
    onChange.run();
    return DagRunView.of(run);
  }

  /**
   * Clears task instances so that they run again (Airflow's {@code tasks clear}): finished ones go
   * back to none with their tries renewed, running ones to restarting; a finished run is queued
   * again.
   *
   * @param taskIds the tasks to clear, or empty for all
   * @return how many task instances were cleared
   * @throws ServiceException NOT_FOUND when the run does not exist
   */
  public int clear(String dagId, String runId, Set<String> taskIds, boolean downstream) {
    Dag dag = bag.dag(dagId).orElse(null);
    Instant now = clock.instant();
    int n =
        store.inTransaction(
            tx -> {
              DagRun run = lockRun(tx, dagId, runId);
              Set<String> selected = new LinkedHashSet<>(taskIds);
              if (downstream && dag != null)
                for (String t : taskIds) selected.addAll(dag.allDownstream(t));
              return RunClearing.clear(tx, dag, run, selected);
            });
    onChange.run();
    return n;
  }

  /**
   * Pauses or unpauses a DAG: a paused DAG gets no new runs and no new tasks, and its running
   * {@code stream} tasks are stopped.
   *
   * @throws ServiceException NOT_FOUND when neither the DAG bag nor the metadata database knows the
   *     DAG
   */
  public DagView setPaused(String dagId, boolean paused) {
    Optional<DagBag.Entry> loaded = bag.entry(dagId);
    Instant now = clock.instant();
    // why: a DAG no scheduler has synced yet can still be paused before its first run
    if (!store.inTransaction(
        tx -> {
          loaded.ifPresent(e -> ensureDagRecord(tx, e, now));
          return tx.setPaused(dagId, paused);
        })) throw ServiceException.notFound("DAG '" + dagId + "' not found");
    onChange.run();
    return dag(dagId);
  }

  /**
   * Marks a run success or failed (Airflow's "mark run as"). Marking success sets every unfinished
   * task instance to success; marking failed sets running ones to failed and the others that have
   * not finished to skipped. Marking it queued leaves its tasks as they are and lets the scheduler
   * evaluate it again. A task still executing notices at its end and records nothing.
   *
   * @throws ServiceException NOT_FOUND for an unknown run, INVALID for a state other than queued,
   *     success or failed
   */
  public DagRunView markRun(String dagId, String runId, DagRunState state) {
    if (state == DagRunState.QUEUED) return requeueRun(dagId, runId);
    if (state != DagRunState.SUCCESS && state != DagRunState.FAILED)
      throw ServiceException.invalid("a run can be marked success or failed, not " + state);
    Instant now = clock.instant();
    DagRun marked =
        store.inTransaction(
            tx -> {
              DagRun run = lockRun(tx, dagId, runId);
              for (TaskInstance ti : tx.taskInstances(dagId, run.runId())) {
                if (ti.state().isFinished()) continue;
                TaskState to =
                    state == DagRunState.SUCCESS
                        ? TaskState.SUCCESS
                        : ti.state() == TaskState.RUNNING ? TaskState.FAILED : TaskState.SKIPPED;
                tx.updateTaskInstance(
                    ti.toBuilder().state(to).endDate(now).readyAt(null).build(), ti.state());
              }
              DagRun done =
                  run.withState(state, run.startDate() == null ? now : run.startDate(), now);
              tx.updateRunState(done, run.state());
              return done;
            });
    onChange.run();
    return DagRunView.of(marked);
  }

  private DagRunView requeueRun(String dagId, String runId) {
    DagRun queued =
        store.inTransaction(
            tx -> {
              DagRun run = lockRun(tx, dagId, runId);
              DagRun next = run.withState(DagRunState.QUEUED, null, null);
              tx.updateRunState(next, run.state());
              return next;
            });
    onChange.run();
    return DagRunView.of(queued);
  }

  /**
   * Marks one task instance success or failed (Airflow's "mark task as"); a finished run is queued
   * again so that the scheduler re-evaluates its downstream tasks.
   *
   * @throws ServiceException NOT_FOUND for an unknown task instance, INVALID for a state other than
   *     success or failed
   */
  public TaskInstanceView markTask(String dagId, String runId, String taskId, TaskState state) {
    if (state != TaskState.SUCCESS && state != TaskState.FAILED)
      throw ServiceException.invalid("a task can be marked success or failed, not " + state);
    Instant now = clock.instant();
    TaskInstance marked =
        store.inTransaction(
            tx -> {
              DagRun run = lockRun(tx, dagId, runId);
              TaskInstance ti =
                  tx.taskInstance(dagId, run.runId(), taskId)
                      .orElseThrow(
                          () ->
                              ServiceException.notFound(
                                  "task instance '"
                                      + taskId
                                      + "' of run '"
                                      + runId
                                      + "' not found"));
              TaskInstance next = ti.toBuilder().state(state).endDate(now).readyAt(null).build();
              if (!tx.updateTaskInstance(next, ti.state()))
                throw ServiceException.conflict("task instance '" + taskId + "' changed; retry");
              RunClearing.requeue(tx, run);
              return next;
            });
    onChange.run();
    return TaskInstanceView.of(marked);
  }

  /**
   * Deletes a run with its task instances, XComs and logs. A task still executing records nothing
   * at its end.
   *
   * @throws ServiceException NOT_FOUND when the run does not exist
   */
  public void deleteRun(String dagId, String runId) {
    DagRun run = dagRun(dagId, runId);
    if (!store.inTransaction(tx -> tx.deleteRun(dagId, run.runId())))
      throw ServiceException.notFound("no run '" + runId + "' of DAG '" + dagId + "'");
    onChange.run();
  }

  /**
   * Blocks until the run has finished or {@code timeout} has passed, polling the metadata database,
   * and returns its last state (check {@link DagRunView#finished()}).
   *
   * @throws ServiceException NOT_FOUND when the run does not exist (or was deleted meanwhile)
   * @throws InterruptedException when the calling thread is interrupted
   */
  public DagRunView await(String dagId, String runId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      DagRunView run = run(dagId, runId);
      if (run.finished() || System.nanoTime() >= deadline) return run;
      Thread.sleep(100); // why: the store has no change notification for runs
    }
  }

  /**
   * The DAG's loaded definition.
   *
   * @throws ServiceException NOT_FOUND for an unknown DAG, CONFLICT when it failed to load
   */
  DagBag.Entry entry(String dagId) {
    Optional<DagBag.Entry> e = bag.entry(dagId);
    if (e.isPresent()) return e.get();
    if (store.inTransaction(tx -> tx.dag(dagId)).isPresent())
      throw ServiceException.conflict(
          "DAG '" + dagId + "' has no loaded definition; check import errors");
    throw ServiceException.notFound("DAG '" + dagId + "' not found");
  }

  private DagRecord dagRecord(String dagId) {
    return store
        .inTransaction(tx -> tx.dag(dagId))
        .orElseThrow(() -> ServiceException.notFound("DAG '" + dagId + "' not found"));
  }

  private DagRun dagRun(String dagId, String runId) {
    Optional<DagRun> run =
        "latest".equals(runId)
            ? store.inTransaction(tx -> tx.runs(dagId, 1)).stream().findFirst()
            : store.inTransaction(tx -> tx.run(dagId, runId));
    return run.orElseThrow(
        () -> ServiceException.notFound("no run '" + runId + "' of DAG '" + dagId + "'"));
  }

  private static DagRun lockRun(StoreTransaction tx, String dagId, String runId) {
    String id =
        "latest".equals(runId)
            ? tx.runs(dagId, 1).stream().findFirst().map(DagRun::runId).orElse(runId)
            : runId;
    return tx.lockRun(dagId, id)
        .orElseThrow(
            () -> ServiceException.notFound("no run '" + runId + "' of DAG '" + dagId + "'"));
  }

  static void ensureDagRecord(StoreTransaction tx, DagBag.Entry e, Instant now) {
    if (tx.dag(e.dag().dagId()).isEmpty()) tx.upsertDag(e.record(now));
  }
}
