package io.sluice.core.schedule;

import java.time.Instant;
import java.util.Optional;

/** No schedule ({@code null}): runs are only triggered by hand. */
public final class ManualTimetable implements Timetable {
  @Override
  public Optional<NextRun> next(
      DataInterval last, Instant startDate, Instant endDate, boolean catchup, Instant now) {
    return Optional.empty();
  }

  @Override
  public DataInterval manualInterval(Instant runAfter) {
    return new DataInterval(runAfter, runAfter);
  }

  @Override
  public boolean manualOnly() {
    return true;
  }

  @Override
  public String summary() {
    return "None";
  }
}
