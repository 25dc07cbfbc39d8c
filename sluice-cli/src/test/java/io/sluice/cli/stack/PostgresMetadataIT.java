package io.sluice.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.cli.InProcessSluice;
import io.sluice.cli.SluiceProcess.Result;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.secrets.LocalSecrets;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.StackListener;
import io.sluice.local.junit.SluiceStackExtension;
import io.sluice.store.MetadataDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice up --metadata postgres}: the stack's metadata database is a PostgreSQL server
 * (Debian's when installed) with a generated password, a DAG run made through the CLI lands in it,
 * and commands given no flag find it from the data directory.
 */
class PostgresMetadataIT {
  @TempDir Path home;

  @AfterAll
  static void forgetPublishedConfiguration() {
    InProcessSluice.forget();
  }

  @Test
  void aDagRunOfTheCliLandsInTheStacksPostgresqlWithItsGeneratedPassword() throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("chain.yaml"),
        """
        dag_id: chain
        schedule: "@daily"
        start_date: 2024-01-01
        catchup: false
        tasks:
          - id: extract
            type: shell
            command: "echo rows for {{ ds }}"
        """);
    SluiceConfig base =
        SluiceStackExtension.testConfig(home.resolve("data"))
            .with(Settings.DAGS_FOLDER, dags.toString(), "test");
    SluiceConfig postgres = base.with(Settings.DB_METADATA, "postgres", "--metadata");
    try (LocalStack stack =
        LocalStack.start(postgres, EnumSet.of(Service.METADATA_DB), StackListener.logging())) {
      String url = stack.jdbcUrl();
      assertThat(url)
          .isEqualTo("jdbc:postgresql://127.0.0.1:" + base.get(Settings.DB_PORT) + "/sluice");

      Result backfill =
          InProcessSluice.runWith(
              stack.config(),
              "dags",
              "backfill",
              "chain",
              "--from",
              "2024-03-01",
              "--to",
              "2024-03-01",
              "--local");
      assertThat(backfill.exit()).as(backfill.err()).isZero();

      String password = LocalSecrets.dbPassword(base);
      assertThat(Files.readString(LocalSecrets.dir(base).resolve("db.password")).trim())
          .isEqualTo(password)
          .isNotEqualTo(LocalSecrets.LEGACY_DB_PASSWORD);
      try (Connection c = DriverManager.getConnection(url, "sluice", password);
          ResultSet rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT r.state, t.state FROM dag_run r JOIN task_instance t"
                          + " ON t.dag_id = r.dag_id AND t.run_id = r.run_id"
                          + " WHERE r.dag_id = 'chain' AND r.run_type = 'backfill'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("success");
        assertThat(rs.getString(2)).isEqualTo("success");
      }
      assertThatThrownBy(() -> DriverManager.getConnection(url, "sluice", "not-the-password"))
          .isInstanceOf(SQLException.class);

      // another shell, no flag: the running cluster is found under the data directory
      assertThat(MetadataDatabases.url(base)).isEqualTo(url);
      Result status = InProcessSluice.runWith(base, "stack", "status", "--output", "json");
      assertThat(status.out())
          .containsPattern(
              "\"metadata-db\",\\s*\"state\" : \"up\",[^}]*\"version\" : \"PostgreSQL ");
    }
  }
}
