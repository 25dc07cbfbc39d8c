package io.sluice.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A fixed interval (an ISO-8601 duration such as {@code PT1H}), counted from the start date. */
public final class DeltaTimetable implements Timetable {
  private final Duration delta;

  public DeltaTimetable(Duration delta) {
    if (delta.isZero() || delta.isNegative())
      throw new IllegalArgumentException("interval must be positive: " + delta);
    this.delta = delta;
  }

  @Override
  public Optional<NextRun> next(
      DataInterval last, Instant startDate, Instant endDate, boolean catchup, Instant now) {
    Instant start;
    if (last == null) {
      if (startDate == null) return Optional.empty();
      start = startDate;
    } else {
      start = last.end();
    }
    if (!catchup && now != Instant.MAX) {
      // why: as Airflow's DeltaDataIntervalTimetable, skip to the interval that ends now.
      Instant latest = now.minus(delta);
      if (latest.isAfter(start)) start = latest;
    }
    if (endDate != null && start.isAfter(endDate)) return Optional.empty();
    Instant end = start.plus(delta);
    return Optional.of(new NextRun(new DataInterval(start, end), end));
  }

  @Override
  public DataInterval manualInterval(Instant runAfter) {
    return new DataInterval(runAfter.minus(delta), runAfter);
  }

  @Override
  public String summary() {
    return delta.toString();
  }
}
