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
import io.sluice.web.WebServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The one place a CLI process is composed: configuration, metadata database (migrated), DAG bag
 * (the YAML folder plus compiled DAGs on the class path) and the services every client calls
 * ({@link DagRunService}, {@link BackfillService}, {@link DagService}), plus the engine of the
 * kinds of process that run one, composed by {@link Engines}:
 *
 * <ul>
 *   <li>{@link #open clients} ({@code dags trigger}, {@code backfills}, {@code tasks ...}): the
 *       services alone; their writes are picked up by the running scheduler;
 *   <li>{@link #forWebServer the web server}: the services behind the web UI and the REST API, no
 *       engine;
 *   <li>{@link #scheduling the scheduler} ({@code scheduler}, {@code standalone}, {@code up}):
 *       standalone unless {@code scheduler.execute=false}; its services wake it after each write;
 *   <li>a {@link #worker worker}, or one {@link #backfillOf backfill} ({@code dags backfill
 *       --local}).
 * </ul>
 *
 * <p>{@code dags test} runs {@link Engines#test()} through {@link io.sluice.core.engine.DagTester},
 * on a store of its own.
 */
final class Orchestrator implements AutoCloseable {
  /** Connections the web server's pool keeps for its request threads. */
  private static final int WEB_CONNECTIONS = 8;

  final SluiceConfig config;
  final JdbcStore store;
  final DagBag bag;
  final DagRunService runs;
  final BackfillService backfills;
  final DagService dags;
  private final EngineLoop engine;

  private Orchestrator(SluiceConfig config, JdbcStore store, DagBag bag, EngineLoop engine) {
    this.config = config;
    this.store = store;
    this.bag = bag;
    this.engine = engine;
    this.runs = engine != null ? engine.runs() : new DagRunService(store, bag, Clock.systemUTC());
    this.backfills = engine != null ? engine.backfills() : new BackfillService(runs);
    this.dags = new DagService(runs);
  }

  /** The scheduler of a {@link #scheduling} process. */
  EngineLoop scheduler() {
    if (engine == null)
      throw new IllegalStateException("a client process runs no scheduler; see scheduling()");
    return engine;
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
   * A client: the configured metadata database, migrated, with every DAG loaded, and the services
   * over them; no engine. The DAG bag is not written to the database here: only a running scheduler
   * syncs it.
   */
  static Orchestrator open() {
    return open(SluiceConfig.load());
  }

  /** As {@link #open()}, with the given configuration. */
  static Orchestrator open(SluiceConfig config) {
    return open(config, config.get(Settings.EXECUTOR_THREADS) + 4);
  }

  /**
   * As {@link #open(SluiceConfig)}, with the scheduler of this process (not started): {@link
   * Engines#standalone()}, or {@link Engines#scheduler()} when {@code scheduler.execute=false}.
   */
  static Orchestrator scheduling(SluiceConfig config) {
    return scheduling(config, prepare(config));
  }

  /**
   * As {@link #open(SluiceConfig)}, with a connection pool sized for the web server's request
   * threads ({@code sluice webserver}).
   */
  static Orchestrator forWebServer(SluiceConfig config) {
    return open(config, WEB_CONNECTIONS);
  }

  /**
   * Starts the web server over this orchestrator's services; without a scheduler in this process,
   * it re-scans the DAG folder itself.
   */
  WebServer startWebServer() {
    return WebServer.start(config, runs, engine);
  }

  private static Orchestrator open(SluiceConfig config, int connections) {
    Prepared p = prepare(config, connections);
    return new Orchestrator(config, p.store(), p.bag(), null);
  }

  /**
   * What an orchestrator needs before its engine: the metadata database opened and migrated, the
   * DAGs parsed. {@code sluice up} prepares it while Kafka and the schema registry start ({@link
   * OrchestratorPrelude}).
   */
  record Prepared(SluiceConfig config, JdbcStore store, DagBag bag) {}

  /** The configured metadata database, migrated, and the DAG bag; a pool of {@code connections}. */
  static Prepared prepare(SluiceConfig config, int connections) {
    JdbcStore store = MetadataDatabases.open(config, connections);
    try {
      store.migrate();
      return new Prepared(config, store, loadDags(config, Clock.systemUTC()));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** As {@link #prepare(SluiceConfig, int)}, with the pool a scheduler of {@code config} uses. */
  static Prepared prepare(SluiceConfig config) {
    return prepare(config, config.get(Settings.EXECUTOR_THREADS) + 4);
  }

  /**
   * A scheduling orchestrator of {@code config} on {@code p}: its engine composed with {@code
   * config} (the stack's addresses, which the tasks' connections point at).
   */
  static Orchestrator scheduling(SluiceConfig config, Prepared p) {
    try {
      Clock clock = Clock.systemUTC();
      Engines engines =
          new Engines(
              p.store(),
              p.bag(),
              clock,
              Sleeper.SYSTEM,
              connections(config, p.store()),
              EngineOptions.from(config));
      EngineLoop engine =
          config.get(Settings.SCHEDULER_EXECUTE) ? engines.standalone() : engines.scheduler();
      return new Orchestrator(config, p.store(), p.bag(), engine);
    } catch (RuntimeException e) {
      p.store().close();
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
    if (engine != null) engine.close();
    store.close();
  }
}
