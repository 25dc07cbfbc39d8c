package io.sluice.core.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when told to. Threads that {@link #sleep} wait until the clock reaches
 * their wake-up time. Thread-safe.
 */
public final class VirtualClock extends Clock implements Sleeper {
  private final Object lock = new Object();
  private volatile Instant now;

  private record Sleeping(Thread thread, Instant wake) {}

  private final ConcurrentHashMap<Long, Sleeping> sleepers = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  public VirtualClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("virtual clock is UTC only");
  }

  /** Moves the clock to {@code t} (never backwards) and wakes sleepers that are due. */
  public void set(Instant t) {
    synchronized (lock) {
      if (t.isAfter(now)) now = t;
      // why: forget due sleepers here, not when they wake, so that sleeping() never counts a
      // thread that is about to run again.
      sleepers.values().removeIf(s -> !now.isBefore(s.wake()));
      lock.notifyAll();
    }
  }

  public void advance(Duration d) {
    set(now.plus(d));
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    long id = ids.incrementAndGet();
    synchronized (lock) {
      Instant wake = now.plus(duration);
      if (!now.isBefore(wake)) return;
      sleepers.put(id, new Sleeping(Thread.currentThread(), wake));
      try {
        while (now.isBefore(wake)) lock.wait();
      } finally {
        sleepers.remove(id);
      }
    }
  }

  /**
   * How many threads are sleeping now. A thread interrupted in its sleep (a timeout, a shutdown) is
   * about to run again and does not count.
   */
  public int sleeping() {
    // why: under the lock, an interrupted sleeper is either still flagged (not counted) or has
    // already left the map; it is never counted while it wakes up
    synchronized (lock) {
      return (int) sleepers.values().stream().filter(s -> !s.thread().isInterrupted()).count();
    }
  }

  /** The earliest wake-up time of a sleeping thread. */
  public Optional<Instant> nextWakeUp() {
    return sleepers.values().stream().map(Sleeping::wake).min(Instant::compareTo);
  }
}
