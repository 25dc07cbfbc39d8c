package io.sluice.local.simulator;

import java.time.Duration;

/**
 * Shares of simulator responses answered badly instead of normally; each share is a fraction in [0,
 * 1] and their sum must not exceed 1. With a {@code seed} the sequence of fault decisions is the
 * same on every run (the n-th request of an API always gets the same fate); without one it is
 * random.
 *
 * @param tooManyRequests share answered 429 with a {@code Retry-After} header
 * @param serverError share answered 500
 * @param slow share answered correctly, but only after {@code slowDelay}
 * @param truncated share answered 200 with the JSON body cut in the middle
 * @param malformed share answered 200 with a body that is not valid JSON
 * @param retryAfter the value of {@code Retry-After}, whole seconds
 * @param slowDelay how long a slow response waits
 * @param seed makes the decisions reproducible; {@code null} for random
 */
public record Faults(
    double tooManyRequests,
    double serverError,
    double slow,
    double truncated,
    double malformed,
    Duration retryAfter,
    Duration slowDelay,
    Long seed) {

  /** What a request gets. */
  public enum Kind {
    NONE,
    TOO_MANY_REQUESTS,
    SERVER_ERROR,
    SLOW,
    TRUNCATED,
    MALFORMED
  }

  public Faults {
    for (double share : new double[] {tooManyRequests, serverError, slow, truncated, malformed}) {
      if (share < 0 || share > 1 || Double.isNaN(share))
        throw new IllegalArgumentException("a fault share must be in [0, 1], got " + share);
    }
    if (total(tooManyRequests, serverError, slow, truncated, malformed) > 1.0 + 1e-9)
      throw new IllegalArgumentException("fault shares add up to more than 1");
    retryAfter = retryAfter == null ? Duration.ofSeconds(1) : retryAfter;
    slowDelay = slowDelay == null ? Duration.ofMillis(500) : slowDelay;
  }

  /** Every response normal. */
  public static Faults none() {
    return new Faults(0, 0, 0, 0, 0, null, null, null);
  }

  /** A total share of faulty responses, split evenly over the five kinds, reproducible by seed. */
  public static Faults mixed(double share, long seed) {
    double each = share / 5;
    return new Faults(each, each, each, each, each, null, null, seed);
  }

  public Faults withRetryAfter(Duration value) {
    return new Faults(
        tooManyRequests, serverError, slow, truncated, malformed, value, slowDelay, seed);
  }

  public Faults withSlowDelay(Duration value) {
    return new Faults(
        tooManyRequests, serverError, slow, truncated, malformed, retryAfter, value, seed);
  }

  public Faults withSeed(Long value) {
    return new Faults(
        tooManyRequests, serverError, slow, truncated, malformed, retryAfter, slowDelay, value);
  }

  /** The share of all faulty responses. */
  public double total() {
    return total(tooManyRequests, serverError, slow, truncated, malformed);
  }

  /** The fate of a request drawn as {@code uniform} in [0, 1). */
  Kind pick(double uniform) {
    double edge = tooManyRequests;
    if (uniform < edge) return Kind.TOO_MANY_REQUESTS;
    edge += serverError;
    if (uniform < edge) return Kind.SERVER_ERROR;
    edge += slow;
    if (uniform < edge) return Kind.SLOW;
    edge += truncated;
    if (uniform < edge) return Kind.TRUNCATED;
    edge += malformed;
    if (uniform < edge) return Kind.MALFORMED;
    return Kind.NONE;
  }

  private static double total(double... shares) {
    double sum = 0;
    for (double s : shares) sum += s;
    return sum;
  }
}
