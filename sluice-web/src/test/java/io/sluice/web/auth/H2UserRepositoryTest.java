package io.sluice.web.auth;

import io.sluice.store.JdbcStore;
import java.util.UUID;

class H2UserRepositoryTest extends AbstractUserRepositoryTest {
  @Override
  protected JdbcStore openStore() {
    return JdbcStore.open(
        "jdbc:h2:mem:users-" + UUID.randomUUID() + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1",
        "sa",
        "",
        4);
  }
}
