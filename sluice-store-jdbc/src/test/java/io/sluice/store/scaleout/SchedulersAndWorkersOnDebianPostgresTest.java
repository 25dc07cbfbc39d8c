package io.sluice.store.scaleout;

import io.sluice.local.db.PostgresServer;
import io.sluice.store.testkit.DebianPostgres;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SchedulersAndWorkersOnPostgresTest} on Debian's packaged PostgreSQL server, the one a
 * deployment runs; skipped when it is not installed.
 */
class SchedulersAndWorkersOnDebianPostgresTest extends SchedulersAndWorkersOnPostgresTest {
  @BeforeAll
  static void startDebianPostgres() {
    DebianPostgres.assumeAvailable();
    PostgresServer pg =
        DebianPostgres.start(Map.of("synchronous_commit", "off", "max_connections", "200"));
    use(pg, pg.jdbcUrl(), pg.user(), pg.password());
  }
}
