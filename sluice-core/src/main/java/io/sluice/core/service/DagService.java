package io.sluice.core.service;

import io.sluice.api.Dag;
import io.sluice.core.engine.DagBag;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.schedule.DataInterval;
import io.sluice.core.schedule.LogicalDates;
import io.sluice.core.schedule.NextRun;
import io.sluice.core.store.MetadataStore;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operations on a DAG as a whole that the CLI, the REST API and the UI offer: its details, its
 * next scheduled runs, the state of a run or a task named by run id or logical date, and deleting
 * its history. Runs themselves are {@link DagRunService}'s.
 *
 * {@snippet :
 * DagService dags = new DagService(runs);
 * List<NextRun> next = dags.nextRuns("weather_daily", 3);
 * String state = dags.run("weather_daily", "2024-01-01").state();
 * }
 */
public final class DagService {
  private final MetadataStore store;
  private final DagBag bag;
  private final Clock clock;

  public DagService(DagRunService runs) {
    this.store = runs.store();
    this.bag = runs.dagBag();
    this.clock = runs.clock();
  }

  /**
   * The stored DAG with its definition and its next scheduled run.
   *
   * @throws ServiceException NOT_FOUND when neither the DAG bag nor the metadata database knows the
   *     DAG
   */
  public DagDetailsView details(String dagId) {
    DagRecord d = record(dagId);
    DagBag.Entry e = bag.entry(dagId).orElse(null);
    NextRun next =
        d.paused() ? null : upcoming(store, clock, e, 1).stream().findFirst().orElse(null);
    return DagDetailsView.of(d, e, next);
  }

  /**
   * The next {@code n} runs the schedule asks for after the latest scheduled run, whether or not
   * the DAG is paused; empty for a DAG that is only triggered by hand or is past its end date.
   *
   * @throws ServiceException NOT_FOUND for an unknown DAG, CONFLICT when it has no loaded
   *     definition
   */
  public List<NextRun> nextRuns(String dagId, int n) {
    record(dagId);
    DagBag.Entry e =
        bag.entry(dagId)
            .orElseThrow(
                () ->
                    ServiceException.conflict(
                        "DAG '" + dagId + "' has no loaded definition; check import errors"));
    return upcoming(store, clock, e, n);
  }

  /**
   * The next {@code n} scheduled runs of a loaded DAG (empty for none, or when {@code e} is null).
   */
  public static List<NextRun> upcoming(MetadataStore store, Clock clock, DagBag.Entry e, int n) {
    List<NextRun> out = new ArrayList<>();
    if (e == null || e.timetable().manualOnly() || e.dag().startDate() == null) return out;
    Dag dag = e.dag();
    DataInterval last =
        store
            .inTransaction(tx -> tx.lastScheduledRun(dag.dagId()))
            .map(r -> new DataInterval(r.dataIntervalStart(), r.dataIntervalEnd()))
            .orElse(null);
    while (out.size() < n) {
      Optional<NextRun> next =
          e.timetable().next(last, dag.startDate(), dag.endDate(), dag.catchup(), clock.instant());
      // why: without catchup, the next run after the latest complete interval can be that interval
      if (next.isEmpty() || (last != null && !next.get().interval().start().isAfter(last.start())))
        return out;
      out.add(next.get());
      last = next.get().interval();
    }
    return out;
  }

  /**
   * Deletes the DAG's row and all its runs, task instances, XComs and logs (Airflow's {@code dags
   * delete}). While its file stays in the DAGs folder, the next parse lists the DAG again, with no
   * history. Returns how many runs were deleted.
   *
   * @throws ServiceException NOT_FOUND for an unknown DAG, CONFLICT while tasks are queued or
   *     running
   */
  public int delete(String dagId) {
    int deleted =
        store.inTransaction(
            tx -> {
              if (tx.dag(dagId).isPresent() && tx.countActiveTasks(dagId) > 0)
                throw ServiceException.conflict(
                    "DAG '"
                        + dagId
                        + "' has "
                        + tx.countActiveTasks(dagId)
                        + " queued or running task(s); pause it and wait for them to finish");
              return tx.deleteDag(dagId);
            });
    if (deleted < 0) throw ServiceException.notFound("DAG '" + dagId + "' not found");
    return deleted;
  }

  /**
   * The run named by its run id, by {@code latest}, or by its logical date ({@code 2024-01-01} at
   * midnight in the DAG's time zone, or an ISO-8601 date-time), as Airflow's {@code dags state}
   * takes it.
   *
   * @throws ServiceException NOT_FOUND for an unknown DAG or when no run matches
   */
  public DagRunView run(String dagId, String runIdOrDate) {
    return DagRunView.of(dagRun(dagId, runIdOrDate));
  }

  /**
   * A task instance of the run named as {@link #run} takes it.
   *
   * @throws ServiceException NOT_FOUND for an unknown DAG, run, or task
   */
  public TaskInstanceView taskInstance(String dagId, String taskId, String runIdOrDate) {
    DagRun run = dagRun(dagId, runIdOrDate);
    Optional<Dag> dag = bag.dag(dagId);
    if (dag.isPresent() && !dag.get().tasks().containsKey(taskId))
      throw ServiceException.notFound("DAG '" + dagId + "' has no task '" + taskId + "'");
    return store
        .inTransaction(tx -> tx.taskInstance(dagId, run.runId(), taskId))
        .map(TaskInstanceView::of)
        .orElseThrow(
            () ->
                ServiceException.notFound(
                    "task '" + taskId + "' has no instance in run '" + run.runId() + "'"));
  }

  private DagRun dagRun(String dagId, String runIdOrDate) {
    record(dagId);
    Optional<DagRun> run =
        "latest".equals(runIdOrDate)
            ? store.inTransaction(tx -> tx.runs(dagId, 1)).stream().findFirst()
            : store.inTransaction(tx -> tx.run(dagId, runIdOrDate));
    if (run.isEmpty()) {
      ZoneId zone = bag.dag(dagId).map(Dag::timezone).orElse(ZoneOffset.UTC);
      run =
          LogicalDates.tryParse(runIdOrDate, zone)
              .flatMap(at -> store.inTransaction(tx -> tx.runAt(dagId, at)));
    }
    return run.orElseThrow(
        () ->
            ServiceException.notFound(
                "DAG '" + dagId + "' has no run with id or logical date '" + runIdOrDate + "'"));
  }

  /** The stored DAG, or the row a scheduler would write for a loaded DAG it has not synced yet. */
  private DagRecord record(String dagId) {
    return store
        .inTransaction(tx -> tx.dag(dagId))
        .or(() -> bag.entry(dagId).map(e -> e.record(null)))
        .orElseThrow(() -> ServiceException.notFound("DAG '" + dagId + "' not found"));
  }
}
