package io.sluice.cli.orchestrator;

import io.sluice.cli.CliException;
import io.sluice.cli.Lifecycle;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice worker}: claims scheduled task instances from the metadata database ({@code FOR
 * UPDATE SKIP LOCKED} on PostgreSQL) and runs them on its local executor, until stopped. It creates
 * no runs; a scheduler ({@code sluice scheduler}, with {@code scheduler.execute=false} to leave all
 * tasks to workers) does.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description =
        "Run tasks that schedulers queued in the metadata database, until stopped; running tasks get the shutdown grace period to finish.")
public final class WorkerCommand implements Runnable {
  @Option(
      names = "--threads",
      description = "Executor threads (default: the executor.threads setting).")
  Integer threads;

  @Override
  public void run() {
    SluiceConfig config = SluiceConfig.load();
    EngineOptions options = EngineOptions.worker(config);
    if (threads != null) {
      if (threads < 1) throw new CliException("--threads must be at least 1");
      options = options.withExecutorThreads(threads);
    }
    JdbcStore store = MetadataDatabases.open(config, options.executorThreads() + 4);
    EngineLoop worker;
    try {
      if (!store.upToDate())
        throw new CliException(
            "the metadata database is not migrated: run `sluice db migrate` or start a scheduler first");
      worker = Orchestrator.worker(config, store, options);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    Lifecycle life =
        new Lifecycle(
            "stopping: waiting up to "
                + config.get(Settings.SCHEDULER_SHUTDOWN_GRACE)
                + " for running tasks");
    life.add(store);
    life.add(worker);
    worker.start();
    System.err.println(
        "worker "
            + worker.executorId()
            + " running: metadata "
            + store.describe()
            + ", "
            + worker.dagBag().entries().size()
            + " DAGs, "
            + options.executorThreads()
            + " executor threads, polling every "
            + options.tick().toMillis()
            + " ms");
    life.awaitStop();
  }
}
