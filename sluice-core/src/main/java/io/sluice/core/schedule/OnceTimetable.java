package io.sluice.core.schedule;

import java.time.Instant;
import java.util.Optional;

/** {@code @once}: a single run at the start date, with an empty data interval. */
public final class OnceTimetable implements Timetable {
  @Override
  public Optional<NextRun> next(
      DataInterval last, Instant startDate, Instant endDate, boolean catchup, Instant now) {
    if (last != null || startDate == null) return Optional.empty();
    if (endDate != null && startDate.isAfter(endDate)) return Optional.empty();
    return Optional.of(new NextRun(new DataInterval(startDate, startDate), startDate));
  }

  @Override
  public DataInterval manualInterval(Instant runAfter) {
    return new DataInterval(runAfter, runAfter);
  }

  @Override
  public String summary() {
    return "@once";
  }
}
