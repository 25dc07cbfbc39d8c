package io.sluice.spark.sink;

/** Exponential backoff from 100 ms to 5 s, for waiting out an unreachable sink. Not thread-safe. */
final class Backoff {
  private static final long MAX_MILLIS = 5_000;
  private long next = 100;

  void pause() {
    try {
      Thread.sleep(next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a sink", e);
    }
    next = Math.min(MAX_MILLIS, next * 2);
  }

  void reset() {
    next = 100;
  }
}
