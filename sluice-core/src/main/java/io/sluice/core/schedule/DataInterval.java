package io.sluice.core.schedule;

import java.time.Instant;
import java.util.Objects;

/** The span of data a run covers: {@code [start, end)}; the run's logical date is {@code start}. */
public record DataInterval(Instant start, Instant end) {
  public DataInterval {
    Objects.requireNonNull(start);
    Objects.requireNonNull(end);
    if (end.isBefore(start))
      throw new IllegalArgumentException("interval end " + end + " before start " + start);
  }
}
