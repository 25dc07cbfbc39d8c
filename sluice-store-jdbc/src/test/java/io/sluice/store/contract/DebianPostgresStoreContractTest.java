package io.sluice.store.contract;

import io.sluice.local.db.PostgresServer;
import io.sluice.store.JdbcStore;
import io.sluice.store.testkit.DebianPostgres;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on Debian's packaged PostgreSQL server; skipped when it is not installed. */
class DebianPostgresStoreContractTest extends AbstractStoreContractTest {
  static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() {
    DebianPostgres.assumeAvailable();
    postgres = DebianPostgres.start(Map.of());
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) postgres.close();
  }

  @Override
  protected JdbcStore openStore() {
    return JdbcStore.open(postgres.jdbcUrl(), postgres.user(), postgres.password(), 4);
  }
}
