package io.sluice.web.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The notes users write on DAG runs and task instances (tables {@code dag_run_note} and {@code
 * task_instance_note}, as Airflow keeps them): at most one per run or task instance, up to 1,000
 * characters, deleted with the run. Thread-safe.
 */
public final class Notes {
  /** The longest note, in characters (Airflow's limit too). */
  public static final int MAX_LENGTH = 1000;

  private final DataSource dataSource;
  private final Clock clock;

  public Notes(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** The note on a run, if one was written. */
  public Optional<String> run(String dagId, String runId) {
    return Optional.ofNullable(runs(dagId, runId).get(runId));
  }

  /** The notes on a DAG's runs by run id; {@code runId} null for every run. */
  public Map<String, String> runs(String dagId, String runId) {
    String sql = "SELECT run_id, content FROM dag_run_note WHERE dag_id = ?";
    return read(runId == null ? sql : sql + " AND run_id = ?", dagId, runId);
  }

  /** The notes on a run's task instances by task id. */
  public Map<String, String> taskInstances(String dagId, String runId) {
    return read(
        "SELECT task_id, content FROM task_instance_note WHERE dag_id = ? AND run_id = ?",
        dagId,
        runId);
  }

  /** Writes (or, with a null or empty {@code content}, deletes) the note on a run. */
  public void setRun(String dagId, String runId, String content, String user) {
    write("dag_run_note", new String[] {"dag_id", "run_id"}, content, user, dagId, runId);
  }

  /** Writes (or, with a null or empty {@code content}, deletes) the note on a task instance. */
  public void setTaskInstance(
      String dagId, String runId, String taskId, String content, String user) {
    write(
        "task_instance_note",
        new String[] {"dag_id", "run_id", "task_id"},
        content,
        user,
        dagId,
        runId,
        taskId);
  }

  private Map<String, String> read(String sql, String... params) {
    return Sql.tx(
        dataSource,
        c -> {
          Map<String, String> out = new HashMap<>();
          Object[] bound = java.util.Arrays.stream(params).filter(p -> p != null).toArray();
          try (PreparedStatement ps = Sql.bind(c.prepareStatement(sql), bound);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
          }
          return out;
        });
  }

  private void write(String table, String[] keys, String content, String user, String... ids) {
    if (content != null && content.length() > MAX_LENGTH)
      throw new IllegalArgumentException("a note has at most " + MAX_LENGTH + " characters");
    String where = String.join(" = ? AND ", keys) + " = ?";
    Instant now = clock.instant();
    Sql.tx(
        dataSource,
        c -> {
          if (content == null || content.isEmpty()) {
            update(c, "DELETE FROM " + table + " WHERE " + where, (Object[]) ids);
            return null;
          }
          int changed =
              update(
                  c,
                  "UPDATE "
                      + table
                      + " SET content = ?, user_id = ?, updated_at = ? WHERE "
                      + where,
                  concat(new Object[] {content, user, now}, ids));
          if (changed == 0)
            update(
                c,
                "INSERT INTO "
                    + table
                    + " ("
                    + String.join(", ", keys)
                    + ", content, user_id, created_at, updated_at) VALUES (?"
                    + ", ?".repeat(keys.length + 3)
                    + ")",
                concat(ids, new Object[] {content, user, now, now}));
          return null;
        });
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = Sql.bind(c.prepareStatement(sql), params)) {
      return ps.executeUpdate();
    }
  }

  private static Object[] concat(Object[] a, Object[] b) {
    Object[] out = new Object[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
