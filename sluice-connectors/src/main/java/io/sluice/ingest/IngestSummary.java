package io.sluice.ingest;

import java.time.Duration;

/**
 * The outcome of an ingest run.
 *
 * @param runId the run's id, as in the records' {@code run_id}
 * @param fetched source items handled (users, or weather rows)
 * @param published records committed to the data topics
 * @param dlq records committed to the dead-letter topic
 * @param retries source requests retried
 * @param duration wall-clock time of the run
 */
public record IngestSummary(
    String runId, long fetched, long published, long dlq, long retries, Duration duration) {

  /** Data records per second. */
  public double recordsPerSecond() {
    double s = duration.toNanos() / 1e9;
    return s <= 0 ? 0 : published / s;
  }
}
