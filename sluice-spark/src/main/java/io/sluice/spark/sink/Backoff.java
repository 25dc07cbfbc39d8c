package io.sluice.spark.sink;

/**
 * Exponential backoff from 100 ms to a ceiling (5 s unless given), for waiting out an unreachable
 * sink. Not thread-safe.
 */
final class Backoff {
  private final long maxMillis;
  private long next = 100;

  Backoff() {
    this(5_000);
  }

  Backoff(long maxMillis) {
    this.maxMillis = maxMillis;
  }

  void pause() {
    try {
      Thread.sleep(next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a sink", e);
    }
    next = Math.min(maxMillis, next * 2);
  }

  void reset() {
    next = 100;
  }
}
