package io.sluice.store;

import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.Lease;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.XComEntry;
import io.sluice.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The repositories over one JDBC connection in one transaction: XComs, variables, logs, import
 * errors, rendered fields, backfills and service leases here; DAGs and runs in {@link
 * JdbcDagsAndRuns}, task instances in {@link JdbcTaskInstances}, the statements themselves in
 * {@link JdbcStatements}.
 */
final class JdbcTransaction extends JdbcDagsAndRuns {
  private final JdbcBackfills backfills = new JdbcBackfills(this);
  private final JdbcLeases leases = new JdbcLeases(this);
  private final JdbcRenderedFields rendered = new JdbcRenderedFields(this);

  /**
   * @param uncached where the queries H2 does not cache stay prepared; null to prepare each anew
   */
  JdbcTransaction(Connection c, JdbcStore.Dialect dialect, UncachedQueries uncached) {
    super(c, dialect, uncached);
  }

  // ---------------------------------------------------------------- xcom, variables

  @Override
  public void putXCom(String dagId, String runId, String taskId, String key, String value) {
    update(
        "DELETE FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ? AND xkey = ?",
        dagId,
        runId,
        taskId,
        key);
    update(
        "INSERT INTO xcom (dag_id, run_id, task_id, xkey, val, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        dagId,
        runId,
        taskId,
        key,
        value,
        Instant.now());
  }

  @Override
  public Optional<String> xcom(String dagId, String runId, String taskId, String key) {
    return one(
        "SELECT val FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ? AND xkey = ?",
        rs -> rs.getString(1),
        dagId,
        runId,
        taskId,
        key);
  }

  @Override
  public List<XComEntry> xcoms(String dagId, String runId, String taskId) {
    return query(
        "SELECT xkey, val, created_at FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ?"
            + " ORDER BY xkey",
        rs ->
            new XComEntry(
                dagId,
                runId,
                taskId,
                rs.getString("xkey"),
                rs.getString("val"),
                instant(rs, "created_at")),
        dagId,
        runId,
        taskId);
  }

  @Override
  public void clearXComs(String dagId, String runId, String taskId) {
    update(
        "DELETE FROM xcom WHERE dag_id = ? AND run_id = ? AND task_id = ?", dagId, runId, taskId);
  }

  @Override
  public Optional<String> variable(String key) {
    return one("SELECT val FROM variable WHERE var_key = ?", rs -> rs.getString(1), key);
  }

  @Override
  public void setVariable(String key, String value, String description) {
    if (update(
            "UPDATE variable SET val = ?, description = ? WHERE var_key = ?",
            value,
            description,
            key)
        == 0)
      update(
          "INSERT INTO variable (var_key, val, description) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
          key,
          value,
          description);
  }

  @Override
  public boolean deleteVariable(String key) {
    return update("DELETE FROM variable WHERE var_key = ?", key) > 0;
  }

  @Override
  public Map<String, String> variables() {
    Map<String, String> out = new LinkedHashMap<>();
    query(
        "SELECT var_key, val FROM variable ORDER BY var_key",
        rs -> out.put(rs.getString(1), rs.getString(2)));
    return out;
  }

  // ---------------------------------------------------------------- logs, import errors

  @Override
  public void appendLog(
      String dagId, String runId, String taskId, int tryNumber, List<String> lines) {
    if (lines.isEmpty()) return;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO task_log (dag_id, run_id, task_id, try_number, line) VALUES (?, ?, ?, ?, ?)")) {
      for (String l : lines) {
        bind(ps, dagId, runId, taskId, tryNumber, l);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new StoreException("cannot append task log", e);
    }
  }

  @Override
  public List<String> readLog(String dagId, String runId, String taskId, int tryNumber) {
    return query(
        "SELECT line FROM task_log WHERE dag_id = ? AND run_id = ? AND task_id = ? AND try_number = ? ORDER BY id",
        rs -> rs.getString(1),
        dagId,
        runId,
        taskId,
        tryNumber);
  }

  @Override
  public void putRenderedFields(RenderedFields r) {
    rendered.put(r);
  }

  @Override
  public List<RenderedFields> renderedFields(String dagId, String runId) {
    return rendered.ofRun(dagId, runId);
  }

  @Override
  public void replaceImportErrors(String source, List<ImportError> errors) {
    update("DELETE FROM import_error WHERE source = ?", source);
    for (ImportError e : errors)
      update(
          "INSERT INTO import_error (source, line, message, created_at) VALUES (?, ?, ?, ?)",
          e.source(),
          e.line(),
          e.message(),
          e.timestamp());
  }

  @Override
  public void retainImportErrors(Collection<String> sources) {
    for (String s : query("SELECT DISTINCT source FROM import_error", rs -> rs.getString(1)))
      if (!sources.contains(s)) update("DELETE FROM import_error WHERE source = ?", s);
  }

  @Override
  public List<ImportError> importErrors() {
    return query(
        "SELECT * FROM import_error ORDER BY source, line",
        rs ->
            new ImportError(
                rs.getString("source"),
                rs.getInt("line"),
                rs.getString("message"),
                instant(rs, "created_at")));
  }

  // ---------------------------------------------------------------- backfills

  @Override
  public long insertBackfill(Backfill b, List<Instant> logicalDates) {
    return backfills.insert(c, b, logicalDates);
  }

  @Override
  public Optional<Backfill> backfill(long id) {
    return backfills.get(id, false);
  }

  @Override
  public Optional<Backfill> lockBackfill(long id) {
    return backfills.get(id, true);
  }

  @Override
  public List<Backfill> backfills(String dagId) {
    return backfills.list(dagId);
  }

  @Override
  public List<Backfill> activeBackfills() {
    return backfills.active();
  }

  @Override
  public boolean updateBackfill(Backfill b) {
    return backfills.update(b);
  }

  @Override
  public List<BackfillDagRun> backfillDagRuns(long backfillId) {
    return backfills.dagRuns(backfillId);
  }

  @Override
  public void updateBackfillDagRun(BackfillDagRun r) {
    backfills.updateDagRun(r);
  }

  // ---------------------------------------------------------------- service leases

  @Override
  public Lease acquireLease(Lease wanted, Instant now) {
    return leases.acquire(wanted, now);
  }

  @Override
  public boolean renewLease(
      String name, String token, Long pid, String queryIds, Instant renewedAt, Instant expiresAt) {
    return leases.renew(name, token, pid, queryIds, renewedAt, expiresAt);
  }

  @Override
  public boolean releaseLease(String name, String token) {
    return leases.release(name, token);
  }

  @Override
  public Optional<Lease> lease(String name) {
    return leases.get(name);
  }

  @Override
  public List<Lease> leases() {
    return leases.list();
  }
}
