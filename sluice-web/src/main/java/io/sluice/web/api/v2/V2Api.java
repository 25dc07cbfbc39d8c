package io.sluice.web.api.v2;

import io.javalin.config.RoutesConfig;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.service.BackfillService;
import io.sluice.core.service.DagRunService;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.tasks.TaskTypeRegistry;
import io.sluice.store.ConnectionStore;
import io.sluice.web.db.EventLog;
import io.sluice.web.db.Notes;

/**
 * Airflow 3's REST API under {@code /api/v2}: the paths, parameters and objects of Airflow 3.2's
 * OpenAPI document, for everything Sluice has. Authentication is the server's (sessions, API
 * tokens, HTTP Basic and the JWT of {@code POST /auth/token}); errors are {@code {"detail": ...}}.
 */
public final class V2Api {
  /** The path prefix of every route here. */
  public static final String BASE = "/api/v2";

  /** The path prefix of what only Sluice has, documented in its own OpenAPI document. */
  public static final String SLUICE = BASE + "/sluice";

  private final DagsV2 dags;
  private final RunsV2 runs;
  private final TaskInstancesV2 taskInstances;
  private final ConnectionsV2 connections;
  private final VariablesPoolsV2 variablesPools;
  private final MonitorV2 monitor;
  private final BackfillsV2 backfills;
  private final EventLogsV2 eventLogs;

  /**
   * @param runs the one service behind every change to DAGs, runs and task instances
   * @param scheduler the scheduler of this process, or null (for {@code monitor/health})
   * @param notes the notes users write on runs and task instances
   * @param eventLog what {@code /eventLogs} reads
   */
  public V2Api(
      SluiceConfig config,
      MetadataStore store,
      DagRunService runs,
      EngineLoop scheduler,
      ConnectionStore connectionStore,
      Notes notes,
      EventLog eventLog) {
    V2Context c = new V2Context(store, runs, new TaskTypeNames(TaskTypeRegistry.load()), notes);
    this.dags = new DagsV2(c);
    this.runs = new RunsV2(c);
    this.taskInstances = new TaskInstancesV2(c);
    this.connections = new ConnectionsV2(connectionStore);
    this.variablesPools = new VariablesPoolsV2(store);
    this.monitor = new MonitorV2(store, scheduler, config);
    this.backfills = new BackfillsV2(new BackfillService(runs));
    this.eventLogs = new EventLogsV2(eventLog);
  }

  /** {@code healthy} when the metadata database answers a query, else {@code unhealthy}. */
  public static String databaseStatus(MetadataStore store) {
    return MonitorV2.databaseStatus(store);
  }

  public void register(RoutesConfig r) {
    dags.register(r);
    runs.register(r);
    taskInstances.register(r);
    connections.register(r);
    variablesPools.register(r);
    monitor.register(r);
    backfills.register(r);
    eventLogs.register(r);
  }
}
