package io.sluice.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Rows written per sink and dead letters sent, counted on the executors and read on the driver for
 * the summary of a bounded run. A retried task counts twice; the tables do not change.
 */
public final class JobCounters implements Serializable {
  public static final String DEAD_LETTERS = "dlq";

  /** Records a backfill wrote to its Parquet copy; counted on the driver only. */
  public static final String LAKE = "lake";

  private final Map<String, LongAccumulator> counters = new LinkedHashMap<>();
  private final transient SparkContext context;

  public JobCounters(SparkContext context, String... names) {
    this.context = context;
    for (String name : names) counters.put(name, context.longAccumulator(name));
    counters.put(DEAD_LETTERS, context.longAccumulator(DEAD_LETTERS));
  }

  public void add(String name, long delta) {
    LongAccumulator counter = counters.get(name);
    if (counter == null && context != null) {
      // why: a counter first used on the driver (the lake of a backfill) is registered there
      counter = context.longAccumulator(name);
      counters.put(name, counter);
    }
    if (delta != 0) counter.add(delta);
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    counters.forEach((k, v) -> out.put(k, v.value()));
    return out;
  }
}
