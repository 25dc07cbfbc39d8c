package io.sluice.cli.meta;

import io.sluice.core.config.SluiceConfig;
import io.sluice.core.secrets.SecretBox;
import io.sluice.store.ConnectionStore;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;

/** The configured metadata database, migrated, for commands that read or write its tables. */
final class MetadataAccess implements AutoCloseable {
  final SluiceConfig config;
  final JdbcStore store;

  private MetadataAccess(SluiceConfig config, JdbcStore store) {
    this.config = config;
    this.store = store;
  }

  static MetadataAccess open() {
    SluiceConfig config = SluiceConfig.load();
    JdbcStore store = MetadataDatabases.open(config, 2);
    try {
      store.migrate();
      return new MetadataAccess(config, store);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  ConnectionStore connections() {
    return new ConnectionStore(store.dataSource(), SecretBox.of(config));
  }

  @Override
  public void close() {
    store.close();
  }
}
