package io.sluice.core.model;

import io.sluice.api.DagRunState;
import java.time.Instant;

/**
 * One run of a DAG for one data interval.
 *
 * @param confJson the run configuration as a JSON object, {@code "{}"} when none
 */
public record DagRun(
    String dagId,
    String runId,
    Instant logicalDate,
    Instant dataIntervalStart,
    Instant dataIntervalEnd,
    DagRunState state,
    RunType runType,
    String confJson,
    Instant queuedAt,
    Instant startDate,
    Instant endDate) {

  public DagRun withState(DagRunState s, Instant start, Instant end) {
    return new DagRun(
        dagId,
        runId,
        logicalDate,
        dataIntervalStart,
        dataIntervalEnd,
        s,
        runType,
        confJson,
        queuedAt,
        start,
        end);
  }
}
