package io.sluice.core.service;

import io.sluice.api.DagRunState;
import io.sluice.api.InvalidParamException;
import io.sluice.core.engine.DagBag;
import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ReprocessBehavior;
import io.sluice.core.params.ParamValidator;
import io.sluice.core.schedule.DataInterval;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Backfills as objects the scheduler owns (Airflow 3's model): {@link #create} records a backfill
 * and returns at once; a running scheduler makes its runs, at most {@code max_active_runs} at a
 * time, and stops making them while it is paused or once it is cancelled. The CLI, the REST API and
 * the UI call this one service and print its views ({@link BackfillView}, {@link
 * BackfillDateView}).
 *
 * {@snippet :
 * BackfillService backfills = scheduler.backfills();
 * BackfillView b = backfills.create(BackfillRequest.of("weather_daily", from, to));
 * backfills.pause(b.id());
 * }
 */
public final class BackfillService {
  private static final int MAX_DATES = 10_000;

  private final DagRunService runs;
  private final MetadataStore store;

  /**
   * @param runs the run service whose store, DAG bag, clock and change listener this one shares
   */
  public BackfillService(DagRunService runs) {
    this.runs = runs;
    this.store = runs.store();
  }

  /**
   * Records a backfill of every logical date of the DAG's schedule in {@code [from, to]} (both
   * inclusive) and returns at once.
   *
   * @throws ServiceException NOT_FOUND for an unknown DAG; CONFLICT for a DAG with no schedule, or
   *     with an active backfill; INVALID, naming the field ({@link ServiceException#param()}), for
   *     a bad date range, reprocess behavior, {@code max_active_runs} or conf
   */
  public BackfillView create(BackfillRequest r) {
    Plan plan = plan(r);
    Instant now = runs.clock().instant();
    Backfill b =
        new Backfill(
            0,
            r.dagId(),
            plan.from,
            plan.to,
            r.confJson() == null || r.confJson().isBlank() ? "{}" : r.confJson(),
            plan.reprocess,
            plan.maxActiveRuns,
            r.runBackwards(),
            false,
            now,
            null,
            now);
    long id =
        store.inTransaction(
            tx -> {
              if (tx.backfills(r.dagId()).stream().anyMatch(x -> !x.isCompleted()))
                throw ServiceException.conflict(
                    "DAG '" + r.dagId() + "' has an active backfill; cancel it or wait for it");
              DagRunService.ensureDagRecord(tx, plan.entry, now);
              return tx.insertBackfill(b, plan.dates);
            });
    runs.changed();
    return get(id);
  }

  /**
   * The logical dates a backfill with this request would run, in order, given the runs that exist
   * now (Airflow's dry run). Writes nothing.
   *
   * @throws ServiceException as {@link #create} does, but never for an active backfill
   */
  public List<Instant> dryRun(BackfillRequest r) {
    Plan plan = plan(r);
    return store.inTransaction(
        tx -> {
          List<Instant> out = new ArrayList<>();
          for (Instant d : plan.dates) {
            Optional<DagRun> existing = tx.runAt(r.dagId(), d);
            if (existing.isEmpty()
                || (existing.get().state().isFinished()
                    && plan.reprocess.reruns(existing.get().state()))) out.add(d);
          }
          return out;
        });
  }

  /** Backfills, newest first; {@code dagId} null for every DAG. */
  public List<BackfillView> list(String dagId) {
    return store.inTransaction(
        tx -> tx.backfills(dagId).stream().map(b -> BackfillView.of(b, progress(tx, b))).toList());
  }

  /**
   * @throws ServiceException NOT_FOUND when there is no such backfill
   */
  public BackfillView get(long id) {
    return store.inTransaction(tx -> BackfillView.of(find(tx, id), progress(tx, find(tx, id))));
  }

  /** The backfill's dates in the order the scheduler takes them, with their runs' states. */
  public List<BackfillDateView> dates(long id) {
    return store.inTransaction(
        tx -> {
          Backfill b = find(tx, id);
          List<BackfillDateView> out = new ArrayList<>();
          for (BackfillDagRun row : tx.backfillDagRuns(id)) {
            String state =
                row.pending()
                    ? "pending"
                    : row.runId() == null
                        ? "skipped"
                        : tx.run(b.dagId(), row.runId())
                            .map(x -> x.state().dbValue())
                            .orElse("deleted");
            out.add(
                new BackfillDateView(row.logicalDate(), row.runId(), state, row.exceptionReason()));
          }
          return out;
        });
  }

  /**
   * Stops the scheduler from making new runs for it; runs already made go on.
   *
   * @throws ServiceException NOT_FOUND for an unknown backfill, CONFLICT when it has completed
   */
  public BackfillView pause(long id) {
    return setPaused(id, true);
  }

  /**
   * Lets the scheduler make its runs again.
   *
   * @throws ServiceException NOT_FOUND for an unknown backfill, CONFLICT when it has completed
   */
  public BackfillView unpause(long id) {
    return setPaused(id, false);
  }

  /**
   * Cancels it (Airflow's cancel): pauses it, marks it completed so that no new run is ever made,
   * and fails its runs that are still queued. Runs already running go on to their end.
   *
   * @throws ServiceException NOT_FOUND for an unknown backfill, CONFLICT when it has completed
   */
  public BackfillView cancel(long id) {
    Instant now = runs.clock().instant();
    store.inTransaction(
        tx -> {
          Backfill b = lockActive(tx, id);
          for (BackfillDagRun row : tx.backfillDagRuns(id)) {
            if (row.runId() == null) continue;
            tx.run(b.dagId(), row.runId())
                .filter(x -> x.state() == DagRunState.QUEUED)
                .ifPresent(
                    x ->
                        tx.updateRunState(
                            x.withState(DagRunState.FAILED, null, now), DagRunState.QUEUED));
          }
          return tx.updateBackfill(b.withPaused(true, now).completed(now));
        });
    runs.changed();
    return get(id);
  }

  /**
   * Polls the backfill until it has completed or {@code timeout} has passed, calling {@code
   * onProgress} whenever its progress changes; returns its last view.
   *
   * @throws InterruptedException when the calling thread is interrupted
   */
  public BackfillView await(long id, Duration timeout, Consumer<BackfillView> onProgress)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    BackfillView.Progress last = null;
    while (true) {
      BackfillView b = get(id);
      if (!b.progress().equals(last)) onProgress.accept(b);
      last = b.progress();
      if (b.completed() || System.nanoTime() >= deadline) return b;
      Thread.sleep(200); // why: the store has no change notification for backfills
    }
  }

  // ---------------------------------------------------------------- helpers

  private record Plan(
      DagBag.Entry entry,
      Instant from,
      Instant to,
      ReprocessBehavior reprocess,
      int maxActiveRuns,
      List<Instant> dates) {}

  private Plan plan(BackfillRequest r) {
    DagBag.Entry e = runs.entry(r.dagId());
    if (r.fromDate() == null) throw ServiceException.invalid("from_date", "is required");
    if (r.toDate() == null) throw ServiceException.invalid("to_date", "is required");
    Instant from = r.fromDate().truncatedTo(ChronoUnit.MICROS);
    Instant to = r.toDate().truncatedTo(ChronoUnit.MICROS);
    Instant now = runs.clock().instant();
    if (to.isBefore(from)) throw ServiceException.invalid("to_date", "is before from_date");
    if (to.isAfter(now)) throw ServiceException.invalid("to_date", "is in the future");
    ReprocessBehavior reprocess;
    try {
      reprocess =
          r.reprocessBehavior() == null
              ? ReprocessBehavior.NONE
              : ReprocessBehavior.fromDb(r.reprocessBehavior());
    } catch (IllegalArgumentException ex) {
      throw ServiceException.invalid("reprocess_behavior", ex.getMessage());
    }
    int max =
        r.maxActiveRuns() == null ? BackfillRequest.DEFAULT_MAX_ACTIVE_RUNS : r.maxActiveRuns();
    if (max < 1) throw ServiceException.invalid("max_active_runs", "must be at least 1");
    try {
      ParamValidator.validate(e.dag(), r.confJson(), from, now);
    } catch (InvalidParamException ex) {
      throw ServiceException.invalid(ex);
    }
    if (e.timetable().manualOnly())
      throw ServiceException.conflict(
          "DAG '" + r.dagId() + "' has no schedule; trigger it instead");
    List<Instant> dates = new ArrayList<>();
    try {
      for (DataInterval iv : e.timetable().intervalsBetween(from, to)) dates.add(iv.start());
    } catch (IllegalArgumentException ex) {
      throw ServiceException.invalid("to_date", ex.getMessage());
    }
    if (dates.isEmpty())
      throw ServiceException.invalid(
          "from_date", "no run of '" + r.dagId() + "' has a logical date in that range");
    if (dates.size() > MAX_DATES)
      throw ServiceException.invalid(
          "to_date", "the range has " + dates.size() + " runs; at most " + MAX_DATES);
    if (r.runBackwards()) Collections.reverse(dates);
    return new Plan(e, from, to, reprocess, max, dates);
  }

  private BackfillView setPaused(long id, boolean paused) {
    Instant now = runs.clock().instant();
    store.inTransaction(tx -> tx.updateBackfill(lockActive(tx, id).withPaused(paused, now)));
    runs.changed();
    return get(id);
  }

  private static Backfill find(StoreTransaction tx, long id) {
    return tx.backfill(id)
        .orElseThrow(() -> ServiceException.notFound("backfill " + id + " not found"));
  }

  private static Backfill lockActive(StoreTransaction tx, long id) {
    Backfill b =
        tx.lockBackfill(id)
            .orElseThrow(() -> ServiceException.notFound("backfill " + id + " not found"));
    if (b.isCompleted())
      throw ServiceException.conflict("backfill " + id + " has completed; nothing to change");
    return b;
  }

  private static BackfillView.Progress progress(StoreTransaction tx, Backfill b) {
    int total = 0, pending = 0, skipped = 0, queued = 0, running = 0, success = 0, failed = 0;
    for (BackfillDagRun row : tx.backfillDagRuns(b.id())) {
      total++;
      if (row.pending()) pending++;
      else if (row.runId() == null) skipped++;
      else {
        Optional<DagRun> r = tx.run(b.dagId(), row.runId());
        if (r.isEmpty()) skipped++;
        else
          switch (r.get().state()) {
            case QUEUED -> queued++;
            case RUNNING -> running++;
            case SUCCESS -> success++;
            case FAILED -> failed++;
          }
      }
    }
    return new BackfillView.Progress(total, pending, skipped, queued, running, success, failed);
  }
}
