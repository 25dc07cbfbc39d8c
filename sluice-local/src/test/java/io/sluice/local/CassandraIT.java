package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import io.sluice.core.config.Settings;
import io.sluice.local.junit.SluiceStackTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = Service.CASSANDRA)
class CassandraIT {
  @Test
  void writesAndReadsRowsInANewKeyspace(LocalStack stack) {
    try (CqlSession session = CassandraTestClients.session(stack)) {
      session.execute(
          "CREATE KEYSPACE IF NOT EXISTS it_rows WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
      session.execute("CREATE TABLE IF NOT EXISTS it_rows.users (id int PRIMARY KEY, name text)");
      var insert = session.prepare("INSERT INTO it_rows.users (id, name) VALUES (?, ?)");
      for (int i = 0; i < 5; i++) session.execute(insert.bind(i, "user-" + i));

      List<Row> rows = session.execute("SELECT id, name FROM it_rows.users").all();

      assertThat(rows).hasSize(5);
      assertThat(rows)
          .extracting(r -> r.getString("name"))
          .containsExactlyInAnyOrder("user-0", "user-1", "user-2", "user-3", "user-4");
    }
  }

  @Test
  void configPointsTheDriverAtTheNode(LocalStack stack) {
    var address = stack.cassandraContactPoint();
    assertThat(stack.config().get(Settings.CASSANDRA_CONTACT_POINTS))
        .isEqualTo("127.0.0.1:" + address.getPort());
  }
}

/** Opens driver sessions on the stack's node. */
final class CassandraTestClients {
  private CassandraTestClients() {}

  static CqlSession session(LocalStack stack) {
    return CqlSession.builder()
        .addContactPoint(stack.cassandraContactPoint())
        .withLocalDatacenter(stack.config().get(Settings.CASSANDRA_DATACENTER))
        // why: schema changes on one node of a busy two-core machine can exceed the 2 s default
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(
                    DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT,
                    Duration.ofSeconds(30))
                .build())
        .build();
  }
}
