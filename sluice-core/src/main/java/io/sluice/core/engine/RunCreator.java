package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.schedule.DataInterval;
import io.sluice.core.schedule.NextRun;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates a DAG's scheduled runs when their data interval is complete, within {@code
 * max_active_runs}, and says when its next one falls due.
 */
final class RunCreator {
  private final MetadataStore store;
  private final AtomicLong changes;

  RunCreator(MetadataStore store, AtomicLong changes) {
    this.store = store;
    this.changes = changes;
  }

  /**
   * Creates the due runs of {@code e} (queued) in a transaction of its own; returns when its next
   * run falls due, empty when none will without a change (no further run, or {@code
   * max_active_runs} reached until a run ends).
   */
  Optional<Instant> createDueRuns(DagBag.Entry e, Instant now) {
    Dag dag = e.dag();
    if (e.timetable().manualOnly()) return Optional.empty();
    return store.inTransaction(
        tx -> {
          int active =
              tx.countRuns(dag.dagId(), DagRunState.QUEUED)
                  + tx.countRuns(dag.dagId(), DagRunState.RUNNING);
          while (active < dag.maxActiveRuns()) {
            Optional<NextRun> next = next(tx, e, now);
            if (next.isEmpty()) return Optional.<Instant>empty();
            if (next.get().runAfter().isAfter(now)) return Optional.of(next.get().runAfter());
            // why: another scheduler created it; look again on the next pass
            if (!tx.insertRun(scheduled(dag, next.get().interval(), now))) return Optional.of(now);
            changes.incrementAndGet();
            active++;
          }
          return Optional.<Instant>empty();
        });
  }

  /** When the next scheduled run of {@code e} may be created, if it has one. */
  Optional<Instant> nextRunAfter(DagBag.Entry e, Instant now) {
    if (e.timetable().manualOnly()) return Optional.empty();
    return store.inTransaction(tx -> next(tx, e, now)).map(NextRun::runAfter);
  }

  private static Optional<NextRun> next(StoreTransaction tx, DagBag.Entry e, Instant now) {
    Dag dag = e.dag();
    DataInterval last =
        tx.lastScheduledRun(dag.dagId())
            .map(r -> new DataInterval(r.dataIntervalStart(), r.dataIntervalEnd()))
            .orElse(null);
    return e.timetable().next(last, dag.startDate(), dag.endDate(), dag.catchup(), now);
  }

  private static DagRun scheduled(Dag dag, DataInterval iv, Instant now) {
    return new DagRun(
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
  }
}
