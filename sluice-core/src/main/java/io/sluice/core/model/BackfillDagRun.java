package io.sluice.core.model;

import java.time.Instant;

/**
 * One logical date of a {@link Backfill} (Airflow 3's {@code BackfillDagRun}): pending until the
 * scheduler reaches it, then either the run it made or ran again ({@code runId}), or the reason it
 * left the date alone ({@code exceptionReason}).
 *
 * @param sortOrdinal the order in which the scheduler takes the dates (0 first)
 * @param runId the run of this date that the backfill owns, or null
 * @param exceptionReason {@link #IN_FLIGHT} or {@link #ALREADY_EXISTS} or {@link #NOT_IN_SCHEDULE}
 *     when the date was skipped
 */
public record BackfillDagRun(
    long backfillId, int sortOrdinal, Instant logicalDate, String runId, String exceptionReason) {

  /** The date had a queued or running run of its own. */
  public static final String IN_FLIGHT = "in flight";

  /** The date had a finished run that the reprocess behavior keeps. */
  public static final String ALREADY_EXISTS = "already exists";

  /** The DAG's schedule has no data interval at this logical date (it changed since). */
  public static final String NOT_IN_SCHEDULE = "not in schedule";

  /** True until the scheduler has handled this date. */
  public boolean pending() {
    return runId == null && exceptionReason == null;
  }

  public BackfillDagRun withRun(String id) {
    return new BackfillDagRun(backfillId, sortOrdinal, logicalDate, id, null);
  }

  public BackfillDagRun skipped(String reason) {
    return new BackfillDagRun(backfillId, sortOrdinal, logicalDate, null, reason);
  }
}
