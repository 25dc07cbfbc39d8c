package io.sluice.core.service;

import java.time.Instant;

/**
 * What a client asks {@link BackfillService#create} for (Airflow 3's {@code BackfillPostBody}).
 * Null fields take Airflow's defaults.
 *
 * @param confJson the conf of every run, a JSON object; null for {@code {}}
 * @param reprocessBehavior {@code none} (default), {@code failed} or {@code completed}
 * @param maxActiveRuns at most this many of its runs unfinished at once; null for 10
 * @param runBackwards newest logical date first
 */
public record BackfillRequest(
    String dagId,
    Instant fromDate,
    Instant toDate,
    String confJson,
    String reprocessBehavior,
    Integer maxActiveRuns,
    boolean runBackwards) {

  /** Airflow's default {@code max_active_runs} of a backfill. */
  public static final int DEFAULT_MAX_ACTIVE_RUNS = 10;

  /** A request with the defaults for everything but the DAG and the dates. */
  public static BackfillRequest of(String dagId, Instant fromDate, Instant toDate) {
    return new BackfillRequest(dagId, fromDate, toDate, null, null, null, false);
  }
}
