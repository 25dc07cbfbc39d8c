package io.sluice.local.simulator;

import java.util.EnumMap;
import java.util.Map;

/**
 * How many requests one API of the simulator answered, and how many of them with each fault.
 *
 * @param requests all requests answered
 * @param byKind requests per fate, {@link Faults.Kind#NONE} included
 */
public record FaultCounts(long requests, Map<Faults.Kind, Long> byKind) {
  public FaultCounts {
    byKind = Map.copyOf(byKind);
  }

  public long count(Faults.Kind kind) {
    return byKind.getOrDefault(kind, 0L);
  }

  /** Requests answered with a fault that changes the answer (all kinds but NONE and SLOW). */
  public long broken() {
    return requests - count(Faults.Kind.NONE) - count(Faults.Kind.SLOW);
  }

  static FaultCounts of(long[] counters) {
    var map = new EnumMap<Faults.Kind, Long>(Faults.Kind.class);
    long total = 0;
    for (Faults.Kind k : Faults.Kind.values()) {
      map.put(k, counters[k.ordinal()]);
      total += counters[k.ordinal()];
    }
    return new FaultCounts(total, map);
  }
}
