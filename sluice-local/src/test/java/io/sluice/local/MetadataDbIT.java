package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.core.secrets.LocalSecrets;
import io.sluice.local.junit.SluiceStackTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = Service.METADATA_DB)
class MetadataDbIT {
  @Test
  void secondConnectionSeesCommittedRowsThroughTheTcpServer(LocalStack stack) throws Exception {
    var config = stack.config();
    String url = config.get(Settings.DB_URL);
    try (Connection writer =
            DriverManager.getConnection(
                url, config.get(Settings.DB_USER), LocalSecrets.dbPassword(config));
        Statement s = writer.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS it_runs (id INT PRIMARY KEY, state VARCHAR(20))");
      s.execute("MERGE INTO it_runs KEY (id) VALUES (1, 'queued')");
    }
    try (Connection reader =
            DriverManager.getConnection(
                url, config.get(Settings.DB_USER), LocalSecrets.dbPassword(config));
        Statement s = reader.createStatement();
        ResultSet rs = s.executeQuery("SELECT state FROM it_runs WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("queued");
    }
  }

  @Test
  void theServingProcessSharesTheDatabaseWithoutTcp(LocalStack stack) throws Exception {
    var config = stack.config();
    String user = config.get(Settings.DB_USER);
    String password = LocalSecrets.dbPassword(config);
    String inProcess = stack.inProcessJdbcUrl().orElseThrow();
    assertThat(inProcess).startsWith("jdbc:h2:file:");
    try (Connection writer = DriverManager.getConnection(inProcess, user, password);
        Statement s = writer.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS it_shared (id INT PRIMARY KEY, state VARCHAR(20))");
      s.execute("MERGE INTO it_shared KEY (id) VALUES (1, 'running')");
    }
    try (Connection reader = DriverManager.getConnection(stack.jdbcUrl(), user, password);
        Statement s = reader.createStatement();
        ResultSet rs = s.executeQuery("SELECT state FROM it_shared WHERE id = 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("running");
    }
  }
}
