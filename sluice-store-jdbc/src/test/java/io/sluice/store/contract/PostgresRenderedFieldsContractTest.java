package io.sluice.store.contract;

import io.sluice.store.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresRenderedFieldsContractTest extends AbstractRenderedFieldsContractTest {
  static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) postgres.close();
  }

  @Override
  protected JdbcStore openStore() {
    return JdbcStore.open(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 4);
  }
}
