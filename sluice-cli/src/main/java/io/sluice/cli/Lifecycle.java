package io.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Signals and shutdown of every long-running command ({@code scheduler}, {@code standalone}, {@code
 * up}, {@code worker}, {@code webserver}): what it started is closed once, newest first, on
 * SIGTERM, Ctrl-C or JVM exit, and {@link #awaitStop()} blocks until then.
 *
 * <pre>{@code
 * Lifecycle life = new Lifecycle("stopping: waiting up to 30s for running tasks");
 * life.add(store);
 * life.add(scheduler.start());
 * life.awaitStop();
 * }</pre>
 */
public final class Lifecycle {
  private final List<AutoCloseable> started = new ArrayList<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final String stoppingMessage;

  /**
   * Installs the handlers at once.
   *
   * @param stoppingMessage printed to stderr when the stop begins, or null
   */
  public Lifecycle(String stoppingMessage) {
    this.stoppingMessage = stoppingMessage;
    // why: stop on SIGTERM/SIGINT before the JVM's shutdown hooks run, because the embedded H2
    // database closes itself in its own hook and the running tasks' outcomes must be recorded
    // first.
    for (String signal : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(signal),
            s ->
                new Thread(
                        () -> {
                          stop();
                          System.exit(0);
                        },
                        "sluice-shutdown")
                    .start());
      } catch (IllegalArgumentException e) {
        // signal not available on this platform: the shutdown hook below still stops everything
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "sluice-shutdown-hook"));
  }

  /** Closes {@code c} on stop, before everything added earlier. Returns {@code c}. */
  public synchronized <T extends AutoCloseable> T add(T c) {
    started.add(c);
    return c;
  }

  /** Closes what was added, newest first, once; errors are printed and do not stop the rest. */
  public void stop() {
    if (!closing.compareAndSet(false, true)) return;
    if (stoppingMessage != null) System.err.println(stoppingMessage);
    List<AutoCloseable> all;
    synchronized (this) {
      all = List.copyOf(started);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).close();
      } catch (Exception e) {
        System.err.println("error while stopping: " + e);
      }
    }
    stopped.countDown();
  }

  /** Blocks until {@link #stop()} has closed everything (or this thread is interrupted). */
  public void awaitStop() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
