package io.sluice.store;

import io.sluice.core.model.RenderedFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code rendered_task_field} table, within a {@link JdbcTransaction}. */
final class JdbcRenderedFields {
  private final JdbcTransaction tx;

  JdbcRenderedFields(JdbcTransaction tx) {
    this.tx = tx;
  }

  void put(RenderedFields r) {
    tx.update(
        "DELETE FROM rendered_task_field WHERE dag_id = ? AND run_id = ? AND task_id = ?"
            + " AND try_number = ?",
        r.dagId(),
        r.runId(),
        r.taskId(),
        r.tryNumber());
    int ordinal = 0;
    for (Map.Entry<String, String> f : r.fields().entrySet())
      tx.update(
          "INSERT INTO rendered_task_field (dag_id, run_id, task_id, try_number, ordinal, field,"
              + " rendered) VALUES (?, ?, ?, ?, ?, ?, ?)",
          r.dagId(),
          r.runId(),
          r.taskId(),
          r.tryNumber(),
          ordinal++,
          f.getKey(),
          f.getValue());
  }

  private record Row(String taskId, int tryNumber, String field, String rendered) {}

  List<RenderedFields> ofRun(String dagId, String runId) {
    List<Row> rows =
        tx.query(
            "SELECT task_id, try_number, field, rendered FROM rendered_task_field"
                + " WHERE dag_id = ? AND run_id = ? ORDER BY task_id, try_number, ordinal",
            rs -> new Row(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)),
            dagId,
            runId);
    List<RenderedFields> out = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      fields.put(row.field(), row.rendered());
      Row next = i + 1 < rows.size() ? rows.get(i + 1) : null;
      if (next == null
          || !next.taskId().equals(row.taskId())
          || next.tryNumber() != row.tryNumber()) {
        out.add(new RenderedFields(dagId, runId, row.taskId(), row.tryNumber(), fields));
        fields = new LinkedHashMap<>();
      }
    }
    return out;
  }
}
