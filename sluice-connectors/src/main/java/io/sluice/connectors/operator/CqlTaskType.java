package io.sluice.connectors.operator;

import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import io.sluice.connectors.hook.CassandraHook;
import io.sluice.connectors.hook.DefaultConnections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code type: cql}: runs rendered CQL statements, in order, against a Cassandra connection. The
 * XCom is the rows of the last statement (at most {@code max_rows}, default 1000) as maps of column
 * name to value text.
 *
 * <p>Options: {@code cql} (one statement or a list), {@code conn_id} (default {@code
 * cassandra_default}), {@code max_rows}.
 */
public final class CqlTaskType implements TaskType {
  @Override
  public String name() {
    return "cql";
  }

  @Override
  public Task create(TaskOptions options) {
    List<String> statements = Options.stringOrList(options, "cql");
    if (statements.isEmpty())
      throw new IllegalArgumentException("task '" + options.taskId() + "' needs option 'cql'");
    String connId = options.string("conn_id").orElse(DefaultConnections.CASSANDRA);
    int maxRows = Options.positiveInt(options, "max_rows", 1000);
    return ctx -> {
      try (var session = CassandraHook.session(Options.connection(ctx, connId))) {
        List<Map<String, String>> rows = List.of();
        for (int i = 0; i < statements.size(); i++) {
          String cql = ctx.render(Options.field("cql", i, statements), statements.get(i));
          ctx.log().info("cql: {}", cql);
          rows = rows(session.execute(cql), maxRows);
        }
        ctx.log().info("last statement returned {} row(s)", rows.size());
        return rows;
      }
    };
  }

  static List<Map<String, String>> rows(ResultSet rs, int maxRows) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Row row : rs) {
      if (out.size() >= maxRows) break;
      var m = new LinkedHashMap<String, String>();
      int i = 0;
      for (ColumnDefinition c : rs.getColumnDefinitions()) {
        Object v = row.getObject(i++);
        m.put(c.getName().asInternal(), v == null ? null : v.toString());
      }
      out.add(m);
    }
    return out;
  }
}
