package io.sluice.cli.orchestrator;

import io.sluice.core.config.Settings;
import io.sluice.core.service.StandaloneService;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code sluice scheduler}: the scheduler and its local executor, until stopped (Ctrl-C, SIGTERM).
 */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description =
        "Run the scheduler and its local executor until stopped; running tasks get the shutdown grace period to finish.")
public final class SchedulerCommand implements Runnable {
  @Override
  public void run() {
    runUntilStopped(false);
  }

  /**
   * Starts the scheduler (and with {@code extras}, every {@link StandaloneService}), blocks until
   * the JVM is asked to stop.
   */
  static void runUntilStopped(boolean extras) {
    runUntilStopped(Orchestrator.open(), extras, List.of());
  }

  /**
   * Runs {@code o} until the JVM is asked to stop; {@code after} is closed last, after the
   * scheduler (the local stack under {@code sluice up}).
   */
  static void runUntilStopped(Orchestrator o, boolean extras, List<AutoCloseable> after) {
    List<AutoCloseable> services = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean closing =
        new java.util.concurrent.atomic.AtomicBoolean();
    Runnable shutdown =
        () -> {
          if (!closing.compareAndSet(false, true)) return;
          System.err.println(
              "stopping: waiting up to "
                  + o.config.get(Settings.SCHEDULER_SHUTDOWN_GRACE)
                  + " for running tasks");
          for (int i = services.size() - 1; i >= 0; i--) {
            try {
              services.get(i).close();
            } catch (Exception e) {
              System.err.println("error stopping a service: " + e);
            }
          }
          o.close();
          for (AutoCloseable a : after) {
            try {
              a.close();
            } catch (Exception e) {
              System.err.println("error stopping the stack: " + e);
            }
          }
          stopped.countDown();
        };
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
                          shutdown.run();
                          System.exit(0);
                        },
                        "sluice-shutdown")
                    .start());
      } catch (IllegalArgumentException e) {
        // signal not available on this platform: the shutdown hook below still stops the scheduler
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "sluice-shutdown-hook"));
    o.scheduler.start();
    System.err.println(
        "scheduler running: metadata "
            + o.store.describe()
            + ", DAGs folder "
            + o.bag.folder()
            + ", "
            + o.bag.entries().size()
            + " DAGs, "
            + o.config.get(Settings.EXECUTOR_THREADS)
            + " executor threads");
    if (!o.bag.importErrors().isEmpty())
      System.err.println(
          o.bag.importErrors().size() + " DAG import errors; see `sluice dags list-import-errors`");
    if (extras) {
      for (StandaloneService s : ServiceLoader.load(StandaloneService.class)) {
        try {
          services.add(s.start(o.config, o.scheduler));
          System.err.println("started " + s.name());
        } catch (Exception e) {
          throw new io.sluice.cli.CliException("cannot start " + s.name() + ": " + e.getMessage());
        }
      }
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
