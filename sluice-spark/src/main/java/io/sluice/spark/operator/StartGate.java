package io.sluice.spark.operator;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets only so many local job JVMs start at once in this process. Starting a Spark job is seconds
 * of CPU (class loading, the session, planning and code generation of the first micro-batch); on a
 * small machine, two jobs starting side by side both reach their first batch later than if they
 * start one after the other. A stream task holds a permit from launching its JVM until the job has
 * reported its first progress, its JVM died, or {@link #MAX_HOLD} passed. Fair, so that tasks start
 * in the order they asked.
 */
final class StartGate {
  /** Longest a starting job keeps others waiting. */
  static final Duration MAX_HOLD = Duration.ofMinutes(2);

  private static final ConcurrentHashMap<Integer, Semaphore> GATES = new ConcurrentHashMap<>();

  private final Semaphore permits;
  private boolean held;

  private StartGate(Semaphore permits) {
    this.permits = permits;
  }

  /** A handle on the process-wide gate that admits {@code concurrentStarts} starts at a time. */
  static StartGate of(int concurrentStarts) {
    return new StartGate(GATES.computeIfAbsent(concurrentStarts, n -> new Semaphore(n, true)));
  }

  /** Waits up to {@code wait} for a permit; true when this handle holds one. */
  boolean tryEnter(Duration wait) throws InterruptedException {
    if (!held) held = permits.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
    return held;
  }

  /** Gives the permit back, if held; safe to call repeatedly. */
  void leave() {
    if (!held) return;
    held = false;
    permits.release();
  }

  boolean held() {
    return held;
  }
}
