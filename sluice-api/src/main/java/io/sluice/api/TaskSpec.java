package io.sluice.api;

import java.time.Duration;
import java.util.Set;

/**
 * One task of a {@link Dag}, as declared: its work, its direct upstream tasks and its scheduling
 * options (Airflow's BaseOperator arguments). Immutable.
 *
 * @param retries how many times a failed try is retried
 * @param retryDelay the wait before the first retry
 * @param retryExponentialBackoff double the wait after each failed try
 * @param maxRetryDelay the longest wait between tries, or {@code null}
 * @param executionTimeout the longest a try may run, or {@code null}
 * @param priorityWeight the task's own weight; the scheduler adds the weights of its downstream
 *     tasks (Airflow's {@code downstream} weight rule)
 */
public record TaskSpec(
    String taskId,
    Task task,
    Set<String> upstream,
    int retries,
    Duration retryDelay,
    boolean retryExponentialBackoff,
    Duration maxRetryDelay,
    Duration executionTimeout,
    TriggerRule triggerRule,
    String pool,
    int poolSlots,
    int priorityWeight,
    boolean dependsOnPast) {

  public static final String DEFAULT_POOL = "default_pool";

  public TaskSpec {
    upstream = Set.copyOf(upstream);
    if (retries < 0)
      throw new DagDefinitionException("task '" + taskId + "': retries must be >= 0");
    if (poolSlots < 1)
      throw new DagDefinitionException("task '" + taskId + "': pool_slots must be >= 1");
  }

  /**
   * The wait before the retry that follows failed try {@code failedTry} (1-based): the retry delay,
   * doubled per further failed try with exponential backoff, capped by the maximum delay.
   */
  public Duration retryDelayAfter(int failedTry) {
    Duration d = retryDelay;
    if (retryExponentialBackoff) {
      int shift = Math.min(Math.max(failedTry - 1, 0), 30);
      d = retryDelay.multipliedBy(1L << shift);
    }
    if (maxRetryDelay != null && d.compareTo(maxRetryDelay) > 0) d = maxRetryDelay;
    return d;
  }
}
