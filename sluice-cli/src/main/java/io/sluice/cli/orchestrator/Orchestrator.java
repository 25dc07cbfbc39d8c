package io.sluice.cli.orchestrator;

import io.sluice.api.Dag;
import io.sluice.cli.CliException;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.model.DagRun;
import io.sluice.core.schedule.LogicalDates;
import io.sluice.core.secrets.SecretBox;
import io.sluice.core.service.BackfillService;
import io.sluice.core.service.DagRunService;
import io.sluice.core.service.DagService;
import io.sluice.core.tasks.TaskTypeRegistry;
import io.sluice.core.time.Sleeper;
import io.sluice.store.ConnectionStore;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Wires the orchestrator for a CLI command: configuration, metadata database (migrated), DAG bag
 * (the YAML folder plus compiled DAGs on the class path) and the engine of this kind of process,
 * composed by {@link Engines}: the scheduler ({@code scheduler}, {@code standalone}, {@code up};
 * standalone unless {@code scheduler.execute=false}), a {@link #worker worker}, or one {@link
 * #backfillOf backfill}. {@code dags test} runs {@link Engines#test()} through {@link
 * io.sluice.core.engine.DagTester}; {@code webserver} runs no engine.
 */
final class Orchestrator implements AutoCloseable {
  final SluiceConfig config;
  final JdbcStore store;
  final DagBag bag;
  final EngineLoop scheduler;
  final DagRunService runs;
  final BackfillService backfills;
  final DagService dags;

  private Orchestrator(SluiceConfig config, JdbcStore store, DagBag bag, Clock clock) {
    this.config = config;
    this.store = store;
    this.bag = bag;
    Engines engines =
        new Engines(
            store,
            bag,
            clock,
            Sleeper.SYSTEM,
            connections(config, store),
            EngineOptions.from(config));
    this.scheduler =
        config.get(Settings.SCHEDULER_EXECUTE) ? engines.standalone() : engines.scheduler();
    this.runs = scheduler.runs();
    this.backfills = scheduler.backfills();
    this.dags = new DagService(runs);
  }

  /**
   * An engine in this process that runs backfill {@code backfillId} of {@code dag} and nothing
   * else; its DAG bag holds {@code dag} alone, so that it can run none of another DAG's tasks
   * ({@code dags backfill --local}).
   */
  EngineLoop backfillOf(Dag dag, long backfillId) {
    Clock clock = Clock.systemUTC();
    return new Engines(
            store,
            DagBag.of(clock, dag),
            clock,
            Sleeper.SYSTEM,
            connections(config, store),
            EngineOptions.from(config))
        .backfill(backfillId);
  }

  /**
   * A worker on {@code store}: claims the tasks schedulers queued and runs them on {@code options}'
   * executor threads.
   */
  static EngineLoop worker(SluiceConfig config, JdbcStore store, EngineOptions options) {
    Clock clock = Clock.systemUTC();
    return new Engines(
            store,
            loadDags(config, clock),
            clock,
            Sleeper.SYSTEM,
            connections(config, store),
            options)
        .worker();
  }

  /**
   * Connections as tasks see them: stored ones ({@code sluice connections add}), then {@code
   * SLUICE_CONN_<ID>} environment variables, then the defaults derived from the configuration
   * ({@code kafka_default}, {@code cassandra_default}...).
   */
  static ConnectionResolver connections(SluiceConfig config, ConnectionStore stored) {
    ConnectionResolver env = ConnectionResolver.fromEnvironment(System.getenv());
    var defaults = DefaultConnections.of(config);
    return id ->
        stored
            .find(id)
            .or(() -> env.find(id))
            .or(() -> java.util.Optional.ofNullable(defaults.get(id)));
  }

  static ConnectionResolver connections(SluiceConfig config, JdbcStore store) {
    return connections(config, new ConnectionStore(store.dataSource(), SecretBox.of(config)));
  }

  /**
   * The configured metadata database, migrated, with every DAG loaded. The DAG bag is not written
   * to the database here: only a running scheduler syncs it.
   */
  static Orchestrator open() {
    return open(SluiceConfig.load());
  }

  /** As {@link #open()}, with the given configuration. */
  static Orchestrator open(SluiceConfig config) {
    JdbcStore store = MetadataDatabases.open(config, config.get(Settings.EXECUTOR_THREADS) + 4);
    try {
      store.migrate();
      return new Orchestrator(
          config, store, loadDags(config, Clock.systemUTC()), Clock.systemUTC());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  static DagBag loadDags(SluiceConfig config, Clock clock) {
    DagBag bag =
        new DagBag(
            config.get(Settings.DAGS_FOLDER).toAbsolutePath().normalize(),
            TaskTypeRegistry.load(),
            clock);
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    bag.loadProviders(cl == null ? Orchestrator.class.getClassLoader() : cl);
    bag.refresh();
    return bag;
  }

  Dag dag(String dagId) {
    return bag.dag(dagId).orElseThrow(() -> unknownDag(dagId));
  }

  static CliException unknownDag(String dagId) {
    return new CliException(
        "DAG '"
            + dagId
            + "' not found (see `sluice dags list` and `sluice dags list-import-errors`)");
  }

  /** A run id, or the newest run when {@code runId} is {@code latest}. */
  DagRun run(String dagId, String runId) {
    if ("latest".equals(runId)) {
      return store.inTransaction(tx -> tx.runs(dagId, 1)).stream()
          .findFirst()
          .orElseThrow(() -> new CliException("DAG '" + dagId + "' has no runs"));
    }
    return store
        .inTransaction(tx -> tx.run(dagId, runId))
        .orElseThrow(() -> new CliException("no run '" + runId + "' of DAG '" + dagId + "'"));
  }

  /** A date ({@code 2024-01-01}, midnight in {@code zone}) or an ISO-8601 date-time. */
  static Instant parseDate(String text, ZoneId zone) {
    try {
      return LogicalDates.parse(text, zone);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  static String ts(Instant t) {
    return t == null ? null : io.sluice.core.model.RunType.timestamp(t);
  }

  @Override
  public void close() {
    scheduler.close();
    store.close();
  }
}
