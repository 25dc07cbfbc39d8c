package io.sluice.connectors.operator;

import io.sluice.api.Connection;
import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: sql}: runs rendered SQL statements over JDBC, in one transaction. The XCom is the
 * rows of the last statement when it is a query (at most {@code max_rows}, default 1000), else its
 * update count.
 *
 * <p>Options: {@code sql} (one statement or a list), {@code conn_id} (required). The connection
 * gives the JDBC URL in its {@code url} extra, or is of type {@code postgres}/{@code postgresql}
 * (host, port, schema as the database) or {@code h2}; login and password are the credentials.
 */
public final class SqlTaskType implements TaskType {
  @Override
  public String name() {
    return "sql";
  }

  @Override
  public Task create(TaskOptions options) {
    List<String> statements = Options.stringOrList(options, "sql");
    if (statements.isEmpty())
      throw new IllegalArgumentException("task '" + options.taskId() + "' needs option 'sql'");
    String connId = options.required("conn_id");
    int maxRows = Options.positiveInt(options, "max_rows", 1000);
    return ctx -> {
      Connection conn = Options.connection(ctx, connId);
      try (var jdbc = DriverManager.getConnection(jdbcUrl(conn), conn.login(), conn.password())) {
        jdbc.setAutoCommit(false);
        Object result = null;
        try (var st = jdbc.createStatement()) {
          st.setMaxRows(maxRows);
          for (int i = 0; i < statements.size(); i++) {
            String sql = ctx.render(Options.field("sql", i, statements), statements.get(i));
            ctx.log().info("sql: {}", sql);
            result = st.execute(sql) ? rows(st.getResultSet()) : st.getUpdateCount();
          }
          jdbc.commit();
        } catch (SQLException e) {
          jdbc.rollback();
          throw e;
        }
        return result;
      }
    };
  }

  static String jdbcUrl(Connection conn) {
    return conn.extra("url")
        .orElseGet(
            () ->
                switch (conn.type()) {
                  case "postgres", "postgresql" ->
                      "jdbc:postgresql://"
                          + conn.host()
                          + ":"
                          + (conn.port() == null ? 5432 : conn.port())
                          + "/"
                          + (conn.schema() == null ? "" : conn.schema());
                  case "h2" ->
                      "jdbc:h2:tcp://"
                          + conn.host()
                          + (conn.port() == null ? "" : ":" + conn.port())
                          + "/"
                          + conn.schema();
                  default ->
                      throw new IllegalArgumentException(
                          "connection '"
                              + conn.connId()
                              + "' of type "
                              + conn.type()
                              + " has no 'url' extra holding a JDBC URL");
                });
  }

  private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    var meta = rs.getMetaData();
    while (rs.next()) {
      var row = new LinkedHashMap<String, Object>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        Object v = rs.getObject(i);
        row.put(
            meta.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT),
            v instanceof Number || v instanceof Boolean || v == null ? v : v.toString());
      }
      out.add(row);
    }
    return out;
  }
}
