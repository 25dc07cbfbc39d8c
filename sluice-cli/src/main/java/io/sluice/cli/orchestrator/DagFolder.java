package io.sluice.cli.orchestrator;

import io.sluice.api.Dag;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.DagBag;
import io.sluice.core.model.DagRecord;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The DAGs of the configured folder (and the compiled ones on the class path), parsed in this
 * process for the read commands ({@code dags list}, {@code dags list-import-errors}, {@code dags
 * show}, {@code tasks list}). Nothing is written anywhere: only a running scheduler syncs the DAG
 * bag into the metadata database.
 */
final class DagFolder {
  final SluiceConfig config;
  final DagBag bag;

  private DagFolder(SluiceConfig config, DagBag bag) {
    this.config = config;
    this.bag = bag;
  }

  /** Parses the configured DAG folder. */
  static DagFolder load() {
    return load(SluiceConfig.load());
  }

  /** Parses the DAG folder {@code config} names. */
  static DagFolder load(SluiceConfig config) {
    return new DagFolder(config, Orchestrator.loadDags(config, Clock.systemUTC()));
  }

  Dag dag(String dagId) {
    return bag.dag(dagId).orElseThrow(() -> Orchestrator.unknownDag(dagId));
  }

  /**
   * The paused flag of each DAG the metadata database knows, read without migrating or creating it;
   * empty when there is no database yet or it cannot be read.
   */
  Map<String, Boolean> pausedFlags() {
    Map<String, Boolean> paused = new HashMap<>();
    if (!MetadataDatabases.exists(config)) return paused;
    try (JdbcStore store = MetadataDatabases.open(config, 1)) {
      for (DagRecord d : store.inTransaction(tx -> tx.dags())) paused.put(d.dagId(), d.paused());
    } catch (RuntimeException e) {
      // why: a listing of the folder must not depend on the database; an older schema or a
      // database that is down only loses the paused column's stored values
    }
    return paused;
  }
}
