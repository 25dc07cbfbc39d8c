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
  private final ConcurrentHashMap<Long, Instant> sleepers = new ConcurrentHashMap<>();
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
      sleepers.values().removeIf(wake -> !now.isBefore(wake));
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
      sleepers.put(id, wake);
      try {
        while (now.isBefore(wake)) lock.wait();
      } finally {
        sleepers.remove(id);
      }
    }
  }

  /** How many threads are sleeping now. */
  public int sleeping() {
    return sleepers.size();
  }

  /** The earliest wake-up time of a sleeping thread. */
  public Optional<Instant> nextWakeUp() {
    return sleepers.values().stream().min(Instant::compareTo);
  }
}
