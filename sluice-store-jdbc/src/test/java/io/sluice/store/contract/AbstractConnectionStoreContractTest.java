package io.sluice.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.core.secrets.SecretBox;
import io.sluice.store.ConnectionStore;
import io.sluice.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every metadata database must do for connections; one subclass per database. */
abstract class AbstractConnectionStoreContractTest {
  private JdbcStore store;
  private ConnectionStore connections;

  protected abstract JdbcStore openStore();

  @BeforeEach
  void open() throws Exception {
    store = openStore();
    store.migrate();
    try (var c = store.dataSource().getConnection()) {
      // why: a database server may be shared by the tests of a class
      c.createStatement().executeUpdate("DELETE FROM connection");
      if (!c.getAutoCommit()) c.commit();
    }
    connections =
        new ConnectionStore(
            store.dataSource(), new SecretBox("k".getBytes(StandardCharsets.UTF_8)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void storesConnectionsWithSecretsEncryptedAtRest() throws Exception {
    var conn =
        new Connection(
            "pg_main",
            "postgres",
            "db.internal",
            5432,
            "etl",
            "s3cr3t",
            "warehouse",
            Map.of("sslmode", "require", "token", "t0k3n"));
    connections.put(conn, "the warehouse");

    assertThat(connections.find("pg_main")).contains(conn);
    assertThat(connections.description("pg_main")).contains("the warehouse");
    try (var c = store.dataSource().getConnection();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT password_enc, extra_enc, host FROM connection WHERE conn_id = 'pg_main'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("s3cr3t");
      assertThat(rs.getString(2)).doesNotContain("t0k3n");
      assertThat(rs.getString(3)).isEqualTo("db.internal");
    }
  }

  @Test
  void replacesListsAndDeletes() {
    connections.put(new Connection("a", "http", "h1", null, null, null, null, Map.of()), null);
    connections.put(new Connection("a", "http", "h2", 80, null, null, null, Map.of()), null);
    connections.put(new Connection("b", "kafka", "k", 9092, null, null, null, Map.of()), null);

    assertThat(connections.list()).extracting(Connection::connId).containsExactly("a", "b");
    assertThat(connections.find("a"))
        .get()
        .satisfies(
            c -> {
              assertThat(c.host()).isEqualTo("h2");
              assertThat(c.port()).isEqualTo(80);
            });
    assertThat(connections.find("b").orElseThrow().password()).isNull();
    assertThat(connections.delete("a")).isTrue();
    assertThat(connections.delete("a")).isFalse();
    assertThat(connections.find("a")).isEmpty();
  }
}
