package io.sluice.cli.orchestrator;

import io.sluice.cli.Lifecycle;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.service.StandaloneService;
import java.util.List;
import java.util.ServiceLoader;
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
    runUntilStopped(Orchestrator.scheduling(SluiceConfig.load()), extras, List.of());
  }

  /**
   * Runs {@code o} until the JVM is asked to stop; {@code after} is closed last, after the
   * scheduler (the local stack under {@code sluice up}).
   */
  static void runUntilStopped(Orchestrator o, boolean extras, List<AutoCloseable> after) {
    Lifecycle life =
        new Lifecycle(
            "stopping: waiting up to "
                + o.config.get(Settings.SCHEDULER_SHUTDOWN_GRACE)
                + " for running tasks");
    // why: closed newest first: the stack under `sluice up` last, after the scheduler
    for (int i = after.size() - 1; i >= 0; i--) life.add(after.get(i));
    life.add(o);
    o.scheduler().start();
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
          life.add(s.start(o.config, o.scheduler()));
          System.err.println("started " + s.name());
        } catch (Exception e) {
          throw new io.sluice.cli.CliException("cannot start " + s.name() + ": " + e.getMessage());
        }
      }
    }
    life.awaitStop();
  }
}
