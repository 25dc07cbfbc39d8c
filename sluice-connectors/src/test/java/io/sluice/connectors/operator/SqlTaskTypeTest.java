package io.sluice.connectors.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.api.TaskState;
import io.sluice.core.config.SluiceConfig;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SqlTaskTypeTest {
  @Test
  void runsRenderedStatementsInOneTransactionAndReturnsTheLastQuerysRows() throws Exception {
    String url = "jdbc:h2:mem:sql-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    var warehouse =
        new Connection("warehouse", "jdbc", null, null, "sa", "", null, Map.of("url", url));
    String yaml =
        """
        dag_id: sql_ops
        schedule: null
        start_date: 2024-01-01
        tasks:
          - id: load
            type: sql
            conn_id: warehouse
            sql:
              - "CREATE TABLE IF NOT EXISTS loads (run_id VARCHAR(200), load_day DATE)"
              - "INSERT INTO loads VALUES ('{{ run_id }}', DATE '{{ ds }}')"
              - "SELECT run_id, load_day FROM loads"
          - id: broken
            type: sql
            conn_id: warehouse
            sql:
              - "INSERT INTO loads VALUES ('half', DATE '2024-01-01')"
              - "SELECT * FROM no_such_table"
            retries: 0
            depends_on: [load]
        """;
    try (var runner =
        new DagRunner(SluiceConfig.defaults(), yaml, Map.of("warehouse", warehouse))) {
      var states = runner.run(Duration.ofSeconds(60));
      assertThat(states)
          .containsEntry("load", TaskState.SUCCESS)
          .containsEntry("broken", TaskState.FAILED);
      String runId = runner.lastRunId();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows = runner.xcom(runId, "load", "return_value", List.class);
      assertThat(rows).singleElement().satisfies(r -> assertThat(r).containsEntry("run_id", runId));
    }
    try (var c = DriverManager.getConnection(url, "sa", "");
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM loads")) {
      rs.next();
      // the failed task's insert was rolled back with it
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }
}
