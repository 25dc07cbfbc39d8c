package io.sluice.core.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a DAG runs and which data interval each run covers, with Airflow's semantics: the run for
 * {@code [start, end)} starts after {@code end} and its logical date is {@code start}.
 */
public interface Timetable {
  /**
   * The next automated run after the last one (null for the first), within the DAG's bounds.
   *
   * @param last the data interval of the latest scheduled run, or null
   * @param startDate the DAG's start date (required for automated runs)
   * @param endDate the DAG's end date, or null; no run has a logical date after it
   * @param catchup false skips to the latest complete interval
   * @param now the scheduler's current time
   */
  Optional<NextRun> next(
      DataInterval last, Instant startDate, Instant endDate, boolean catchup, Instant now);

  /** The data interval of a run triggered by hand at {@code runAfter}. */
  DataInterval manualInterval(Instant runAfter);

  /** Runs whose logical dates fall in {@code [from, to]} (both inclusive), for backfill. */
  default List<DataInterval> intervalsBetween(Instant from, Instant to) {
    List<DataInterval> out = new ArrayList<>();
    DataInterval last = null;
    while (true) {
      Optional<NextRun> n = next(last, from, to, true, Instant.MAX);
      if (n.isEmpty() || n.get().logicalDate().isAfter(to)) return out;
      if (last != null && !n.get().interval().start().isAfter(last.start())) return out;
      out.add(n.get().interval());
      last = n.get().interval();
      if (out.size() > 100_000)
        throw new IllegalArgumentException("more than 100000 runs between " + from + " and " + to);
    }
  }

  /** True when the DAG is only run by hand. */
  default boolean manualOnly() {
    return false;
  }

  /** The expression this timetable was parsed from, for display. */
  String summary();
}
