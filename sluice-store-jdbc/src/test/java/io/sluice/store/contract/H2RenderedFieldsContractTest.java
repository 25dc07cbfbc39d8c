package io.sluice.store.contract;

import io.sluice.store.JdbcStore;
import java.util.UUID;

class H2RenderedFieldsContractTest extends AbstractRenderedFieldsContractTest {
  @Override
  protected JdbcStore openStore() {
    return JdbcStore.open(
        "jdbc:h2:mem:contract-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1",
        "sa",
        "",
        4);
  }
}
