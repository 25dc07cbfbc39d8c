package io.sluice.core.model;

import java.time.Instant;

/**
 * A backfill: a request that the scheduler run a DAG for every logical date in {@code [fromDate,
 * toDate]}, at most {@code maxActiveRuns} at a time (Airflow 3's {@code Backfill}). The scheduler
 * works through its {@link BackfillDagRun}s in order; a paused backfill gets no new runs, and a
 * completed one (done or cancelled) none ever again.
 *
 * @param id assigned by the store on insert (0 before)
 * @param confJson the conf every run gets, a JSON object
 * @param completedAt when nothing more was left to do, or when it was cancelled; null while active
 */
public record Backfill(
    long id,
    String dagId,
    Instant fromDate,
    Instant toDate,
    String confJson,
    ReprocessBehavior reprocessBehavior,
    int maxActiveRuns,
    boolean runBackwards,
    boolean paused,
    Instant createdAt,
    Instant completedAt,
    Instant updatedAt) {

  /** This backfill with the paused flag set, updated at {@code now}. */
  public Backfill withPaused(boolean p, Instant now) {
    return new Backfill(
        id,
        dagId,
        fromDate,
        toDate,
        confJson,
        reprocessBehavior,
        maxActiveRuns,
        runBackwards,
        p,
        createdAt,
        completedAt,
        now);
  }

  /** This backfill completed at {@code now}. */
  public Backfill completed(Instant now) {
    return new Backfill(
        id,
        dagId,
        fromDate,
        toDate,
        confJson,
        reprocessBehavior,
        maxActiveRuns,
        runBackwards,
        paused,
        createdAt,
        now,
        now);
  }

  /** This backfill with the id the store gave it. */
  public Backfill withId(long newId) {
    return new Backfill(
        newId,
        dagId,
        fromDate,
        toDate,
        confJson,
        reprocessBehavior,
        maxActiveRuns,
        runBackwards,
        paused,
        createdAt,
        completedAt,
        updatedAt);
  }

  /** True once it is done or cancelled. */
  public boolean isCompleted() {
    return completedAt != null;
  }
}
