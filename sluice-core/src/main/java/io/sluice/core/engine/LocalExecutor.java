package io.sluice.core.engine;

import io.sluice.core.model.TaskInstanceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs task instances on a fixed pool of threads, highest priority weight first. Tracks what runs
 * on which thread, so that the scheduler can interrupt a task whose execution timeout expired.
 */
public final class LocalExecutor {
  /** A task on an executor thread. */
  static final class Running {
    final Thread thread;
    volatile Instant deadline;
    volatile boolean timedOut;
    volatile boolean service;
    volatile String stopReason;

    Running(Thread thread) {
      this.thread = thread;
    }
  }

  private final ThreadPoolExecutor pool;
  private final int threads;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();
  private final Map<TaskInstanceKey, Running> running = new ConcurrentHashMap<>();
  private final Consumer<TaskInstanceKey> runner;

  LocalExecutor(int threads, Consumer<TaskInstanceKey> runner) {
    this.threads = threads;
    this.runner = runner;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new PriorityBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "sluice-executor-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  private final class Job implements Runnable, Comparable<Job> {
    final TaskInstanceKey key;
    final int priority;
    final long seq = sequence.incrementAndGet();

    Job(TaskInstanceKey key, int priority) {
      this.key = key;
      this.priority = priority;
    }

    @Override
    public void run() {
      try {
        runner.accept(key);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    @Override
    public int compareTo(Job o) {
      int c = Integer.compare(o.priority, priority);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /** Queues a task instance; returns false when the executor is shutting down. */
  boolean submit(TaskInstanceKey key, int priority) {
    inFlight.incrementAndGet();
    try {
      pool.execute(new Job(key, priority));
      return true;
    } catch (java.util.concurrent.RejectedExecutionException e) {
      inFlight.decrementAndGet();
      return false;
    }
  }

  /** Threads not yet promised to a task. */
  int capacity() {
    return pool.isShutdown() ? 0 : threads - inFlight.get();
  }

  /** Task instances submitted and not finished. */
  public int inFlight() {
    return inFlight.get();
  }

  Running register(TaskInstanceKey key) {
    Running r = new Running(Thread.currentThread());
    running.put(key, r);
    return r;
  }

  void unregister(TaskInstanceKey key) {
    running.remove(key);
  }

  /** Interrupts tasks whose deadline has passed; returns how many. */
  int interruptExpired(Instant now) {
    int n = 0;
    for (Running r : running.values()) {
      Instant d = r.deadline;
      if (d != null && !now.isBefore(d) && !r.timedOut) {
        r.timedOut = true;
        r.thread.interrupt();
        n++;
      }
    }
    return n;
  }

  /**
   * Interrupts the running {@link io.sluice.api.ServiceTask}s that {@code which} selects, once
   * each; returns how many.
   */
  int interruptServices(java.util.function.Predicate<TaskInstanceKey> which, String reason) {
    int n = 0;
    for (var e : running.entrySet()) {
      Running r = e.getValue();
      if (r.service && r.stopReason == null && which.test(e.getKey())) {
        r.stopReason = reason;
        r.thread.interrupt();
        n++;
      }
    }
    return n;
  }

  /** The earliest execution-timeout deadline of a running task. */
  java.util.Optional<Instant> nextDeadline() {
    return running.values().stream()
        .map(r -> r.deadline)
        .filter(java.util.Objects::nonNull)
        .min(Instant::compareTo);
  }

  boolean isShutdown() {
    return pool.isShutdown();
  }

  /** Stops taking work, lets running tasks finish for {@code grace}, then interrupts them. */
  void shutdown(Duration grace) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
