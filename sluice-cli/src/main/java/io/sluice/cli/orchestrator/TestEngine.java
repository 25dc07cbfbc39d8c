package io.sluice.cli.orchestrator;

import io.sluice.api.Dag;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.secrets.SecretBox;
import io.sluice.store.ConnectionStore;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.util.Map;

/**
 * What {@code dags test} and {@code tasks test} run on: a throw-away in-memory database holding the
 * metadata database's variables, and connections resolved as a scheduler resolves them. The
 * metadata database is only read.
 */
final class TestEngine implements AutoCloseable {
  final SluiceConfig config;
  final JdbcStore store;
  final ConnectionResolver connections;
  private final DagFolder folder;
  private final JdbcStore metadata;

  private TestEngine(SluiceConfig config, JdbcStore store, JdbcStore metadata) {
    this.config = config;
    this.store = store;
    this.metadata = metadata;
    this.folder = DagFolder.load(config);
    this.connections =
        Orchestrator.connections(
            config,
            new ConnectionStore(
                (metadata != null ? metadata : store).dataSource(), SecretBox.of(config)));
  }

  static TestEngine open() {
    SluiceConfig config = SluiceConfig.load();
    JdbcStore store = MetadataDatabases.inMemory();
    JdbcStore metadata =
        MetadataDatabases.exists(config) ? MetadataDatabases.open(config, 2) : null;
    if (metadata != null) {
      try {
        Map<String, String> variables = metadata.inTransaction(tx -> tx.variables());
        store.inTransaction(
            tx -> {
              variables.forEach((k, v) -> tx.setVariable(k, v, null));
              return null;
            });
      } catch (RuntimeException e) {
        // why: a metadata database of an older schema still lets a test run, without variables
      }
    }
    return new TestEngine(config, store, metadata);
  }

  Dag dag(String dagId) {
    return folder.dag(dagId);
  }

  @Override
  public void close() {
    store.close();
    if (metadata != null) metadata.close();
  }
}
