package io.sluice.core.engine;

import io.sluice.api.DagRunState;
import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.schedule.DataInterval;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backfill half of the scheduler (Airflow 3's model): works through each active, unpaused
 * backfill's logical dates in order, keeping at most its {@code max_active_runs} runs unfinished.
 * For each date it creates a backfill run, reruns the existing run when the reprocess behavior says
 * so, or records why it left the date alone. A backfill completes when no date is pending and none
 * of its runs is unfinished.
 *
 * <p>Backfill runs start at once and are bounded by the backfill's {@code max_active_runs}, not by
 * the DAG's, so that a backfill neither waits for nor holds back the DAG's scheduled runs.
 */
final class BackfillScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(BackfillScheduler.class);

  private final MetadataStore store;
  private final DagBag bag;
  private final RunScheduler runs;
  private final AtomicLong changes;

  BackfillScheduler(MetadataStore store, DagBag bag, RunScheduler runs, AtomicLong changes) {
    this.store = store;
    this.bag = bag;
    this.runs = runs;
    this.changes = changes;
  }

  /**
   * Advances every active backfill whose DAG is loaded; queues what may run into {@code submit}.
   */
  void schedule(Instant now, List<TaskInstance> submit) {
    for (Backfill b : store.inTransaction(StoreTransaction::activeBackfills))
      if (!b.paused() && bag.entry(b.dagId()).isPresent()) advance(b.id(), now, submit, false);
  }

  /**
   * Advances one backfill in a transaction of its own.
   *
   * @param sweep also evaluates its running runs (due retries), for a process that runs this
   *     backfill alone
   * @return the backfill as it is now, empty when it does not exist
   */
  Optional<Backfill> advance(long id, Instant now, List<TaskInstance> submit, boolean sweep) {
    return store.inTransaction(
        tx -> {
          // why: the lock makes concurrent schedulers take a backfill's dates one after another
          Optional<Backfill> locked = tx.lockBackfill(id);
          if (locked.isEmpty() || locked.get().isCompleted() || locked.get().paused())
            return locked;
          Backfill b = locked.get();
          Optional<DagBag.Entry> e = bag.entry(b.dagId());
          if (e.isEmpty() || tx.dag(b.dagId()).map(DagRecord::paused).orElse(false)) return locked;
          List<BackfillDagRun> rows = tx.backfillDagRuns(id);
          int active = 0;
          for (BackfillDagRun row : rows) {
            if (row.runId() == null) continue;
            Optional<DagRun> r = tx.run(b.dagId(), row.runId());
            if (r.isEmpty() || r.get().state().isFinished()) continue;
            active++;
            if (sweep && r.get().state() == DagRunState.RUNNING)
              tx.tryLockRun(b.dagId(), row.runId())
                  .ifPresent(run -> runs.evaluateRun(tx, e.get(), run, now, submit, 0));
          }
          boolean pending = false;
          for (BackfillDagRun row : rows) {
            if (!row.pending()) continue;
            if (active >= b.maxActiveRuns()) {
              pending = true;
              break;
            }
            if (take(tx, e.get(), b, row, now, submit)) active++;
          }
          if (active > 0 || pending) return locked;
          Backfill done = b.completed(now);
          tx.updateBackfill(done);
          changes.incrementAndGet();
          LOG.info("backfill {} of {} completed", b.id(), b.dagId());
          return Optional.of(done);
        });
  }

  /** Handles one pending date; true when it left a run of the backfill unfinished. */
  private boolean take(
      StoreTransaction tx,
      DagBag.Entry e,
      Backfill b,
      BackfillDagRun row,
      Instant now,
      List<TaskInstance> submit) {
    changes.incrementAndGet();
    Optional<DagRun> existing = tx.runAt(b.dagId(), row.logicalDate());
    if (existing.isEmpty()) return create(tx, e, b, row, now, submit);
    DagRun old = existing.get();
    if (!old.state().isFinished()) {
      tx.updateBackfillDagRun(row.skipped(BackfillDagRun.IN_FLIGHT));
      return false;
    }
    if (!b.reprocessBehavior().reruns(old.state())) {
      tx.updateBackfillDagRun(row.skipped(BackfillDagRun.ALREADY_EXISTS));
      return false;
    }
    RunClearing.clear(tx, e.dag(), old, Set.of());
    RunClearing.requeue(tx, tx.run(old.dagId(), old.runId()).orElseThrow());
    tx.updateBackfillDagRun(row.withRun(old.runId()));
    start(tx, e, tx.run(old.dagId(), old.runId()).orElseThrow(), now, submit);
    return true;
  }

  private boolean create(
      StoreTransaction tx,
      DagBag.Entry e,
      Backfill b,
      BackfillDagRun row,
      Instant now,
      List<TaskInstance> submit) {
    List<DataInterval> at = e.timetable().intervalsBetween(row.logicalDate(), row.logicalDate());
    if (at.isEmpty() || !at.get(0).start().equals(row.logicalDate())) {
      tx.updateBackfillDagRun(row.skipped(BackfillDagRun.NOT_IN_SCHEDULE));
      return false;
    }
    DataInterval iv = at.get(0);
    DagRun run =
        new DagRun(
            b.dagId(),
            RunType.BACKFILL.runId(iv.start()),
            iv.start(),
            iv.start(),
            iv.end(),
            DagRunState.QUEUED,
            RunType.BACKFILL,
            b.confJson(),
            now,
            null,
            null);
    if (!tx.insertRun(run)) {
      tx.updateBackfillDagRun(row.skipped(BackfillDagRun.IN_FLIGHT));
      return false;
    }
    tx.updateBackfillDagRun(row.withRun(run.runId()));
    start(tx, e, run, now, submit);
    return true;
  }

  private void start(
      StoreTransaction tx, DagBag.Entry e, DagRun queued, Instant now, List<TaskInstance> submit) {
    if (queued.state() != DagRunState.QUEUED) return;
    DagRun started = queued.withState(DagRunState.RUNNING, now, null);
    if (tx.updateRunState(started, DagRunState.QUEUED))
      runs.evaluateRun(tx, e, started, now, submit, 0);
  }
}
