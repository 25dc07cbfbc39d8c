package io.sluice.web.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a sample every period on a thread of its own, but only while someone reads the samples: a
 * stack that nobody watches is not asked for its figures. After {@link #WATCHED_FOR} without a read
 * the sampling pauses; the next read resumes it and waits (up to {@link #CATCH_UP}) for a fresh
 * sample, so that a reader never sees figures from before the pause.
 */
final class WatchedSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedSampler.class);

  /** How long after a read the sampling goes on. */
  static final Duration WATCHED_FOR = Duration.ofMinutes(1);

  /** How long the first read after a pause waits for its sample. */
  static final Duration CATCH_UP = Duration.ofSeconds(5);

  private final Clock clock;
  private final Runnable sample;
  private final ScheduledExecutorService timer;
  private final AtomicReference<Instant> lastRead;
  private volatile Runnable everyTick = () -> {};
  private volatile boolean started;

  /**
   * @param sample takes one sample; called on the sampler's thread only
   * @param threadName the sampler thread's name
   */
  WatchedSampler(Clock clock, Runnable sample, String threadName) {
    this.clock = clock;
    this.sample = sample;
    this.lastRead = new AtomicReference<>(clock.instant().minus(WATCHED_FOR));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  /** Ticks every {@code period}: runs {@code everyTick}, then samples when watched. */
  void start(Duration period, Runnable everyTick) {
    this.everyTick = everyTick;
    started = true;
    timer.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One tick of the timer (also for tests, on their own thread). */
  void tick() {
    try {
      everyTick.run();
      if (watched(lastRead.get(), clock.instant())) sample.run();
    } catch (RuntimeException e) {
      LOG.warn("pipeline status refresh failed: {}", e.toString());
    }
  }

  /**
   * Records a read; when the sampling had paused and runs on its timer, samples now and waits for
   * it.
   */
  void read() {
    Instant now = clock.instant();
    Instant before = lastRead.getAndSet(now);
    if (!started || watched(before, now)) return;
    try {
      timer.submit(sample).get(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | RejectedExecutionException e) {
      // why: a slow or closed sampler leaves the reader the last sample; the next read has this one
    } catch (ExecutionException e) {
      LOG.warn("pipeline status refresh failed: {}", e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean watched(Instant lastRead, Instant now) {
    return Duration.between(lastRead, now).compareTo(WATCHED_FOR) < 0;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
