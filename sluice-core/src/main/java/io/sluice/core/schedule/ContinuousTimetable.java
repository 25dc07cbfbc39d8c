package io.sluice.core.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code @continuous}: a new run as soon as the previous one ends (the DAG must have {@code
 * max_active_runs = 1}); each interval runs from the previous end to now.
 */
public final class ContinuousTimetable implements Timetable {
  @Override
  public Optional<NextRun> next(
      DataInterval last, Instant startDate, Instant endDate, boolean catchup, Instant now) {
    if (startDate == null) return Optional.empty();
    Instant start = last == null ? startDate : last.end();
    Instant end = now.isAfter(start) ? now : start;
    if (endDate != null && start.isAfter(endDate)) return Optional.empty();
    return Optional.of(new NextRun(new DataInterval(start, end), end));
  }

  @Override
  public DataInterval manualInterval(Instant runAfter) {
    return new DataInterval(runAfter, runAfter);
  }

  @Override
  public String summary() {
    return "@continuous";
  }
}
