package io.sluice.core.schedule;

import java.time.Instant;

/** The next run a timetable asks for: its data interval and the earliest time it may start. */
public record NextRun(DataInterval interval, Instant runAfter) {
  public Instant logicalDate() {
    return interval.start();
  }
}
