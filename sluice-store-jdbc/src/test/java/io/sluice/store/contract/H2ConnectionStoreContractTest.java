package io.sluice.store.contract;

import io.sluice.store.JdbcStore;
import java.util.UUID;

class H2ConnectionStoreContractTest extends AbstractConnectionStoreContractTest {
  @Override
  protected JdbcStore openStore() {
    return JdbcStore.open(
        "jdbc:h2:mem:connections-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1",
        "sa",
        "",
        2);
  }
}
