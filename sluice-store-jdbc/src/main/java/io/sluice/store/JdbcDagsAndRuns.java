package io.sluice.store;

import io.sluice.api.DagRunState;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * DAGs and their runs, over one JDBC connection in one transaction (see {@link JdbcTransaction}).
 */
abstract class JdbcDagsAndRuns extends JdbcTaskInstances {
  private static final String RUN_COLUMNS =
      "dag_id, run_id, logical_date, data_interval_start, data_interval_end, state, run_type, conf, queued_at, start_date, end_date";

  JdbcDagsAndRuns(Connection c, JdbcStore.Dialect dialect, UncachedQueries uncached) {
    super(c, dialect, uncached);
  }

  // ---------------------------------------------------------------- dags

  private static DagRecord dagRecord(ResultSet rs) throws SQLException {
    return new DagRecord(
        rs.getString("dag_id"),
        rs.getBoolean("is_paused"),
        rs.getString("schedule"),
        rs.getString("description"),
        rs.getString("source"),
        rs.getBoolean("is_active"),
        instant(rs, "last_parsed_at"));
  }

  @Override
  public void upsertDag(DagRecord d) {
    int n =
        update(
            "UPDATE dag SET schedule = ?, description = ?, source = ?, is_active = ?, last_parsed_at = ? WHERE dag_id = ?",
            d.schedule(),
            d.description(),
            d.source(),
            d.active(),
            ts(d.lastParsedAt()),
            d.dagId());
    if (n == 0)
      update(
          "INSERT INTO dag (dag_id, is_paused, is_active, schedule, description, source, last_parsed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
              + " ON CONFLICT DO NOTHING",
          d.dagId(),
          d.paused(),
          d.active(),
          d.schedule(),
          d.description(),
          d.source(),
          ts(d.lastParsedAt()));
  }

  @Override
  public Optional<DagRecord> dag(String dagId) {
    return one("SELECT * FROM dag WHERE dag_id = ?", JdbcDagsAndRuns::dagRecord, dagId);
  }

  @Override
  public List<DagRecord> dags() {
    return query("SELECT * FROM dag ORDER BY dag_id", JdbcDagsAndRuns::dagRecord);
  }

  @Override
  public void markActive(Collection<String> activeDagIds) {
    for (DagRecord d : dags()) {
      boolean active = activeDagIds.contains(d.dagId());
      if (active != d.active())
        update("UPDATE dag SET is_active = ? WHERE dag_id = ?", active, d.dagId());
    }
  }

  @Override
  public boolean setPaused(String dagId, boolean paused) {
    return update("UPDATE dag SET is_paused = ? WHERE dag_id = ?", paused, dagId) > 0;
  }

  // ---------------------------------------------------------------- runs

  static DagRun dagRun(ResultSet rs) throws SQLException {
    return dagRun(rs, "");
  }

  /** The run in the columns named {@code prefix} + the run's column names (a join's aliases). */
  static DagRun dagRun(ResultSet rs, String prefix) throws SQLException {
    return new DagRun(
        rs.getString("dag_id"),
        rs.getString("run_id"),
        instant(rs, prefix + "logical_date"),
        instant(rs, prefix + "data_interval_start"),
        instant(rs, prefix + "data_interval_end"),
        DagRunState.fromDb(rs.getString(prefix + "state")),
        RunType.fromDb(rs.getString(prefix + "run_type")),
        rs.getString(prefix + "conf"),
        instant(rs, prefix + "queued_at"),
        instant(rs, prefix + "start_date"),
        instant(rs, prefix + "end_date"));
  }

  @Override
  public boolean insertRun(DagRun r) {
    // why: both the run id and the logical date are unique keys, so the insert alone tells whether
    // the run is new; ON CONFLICT DO NOTHING instead of catching the violation, because a failed
    // statement aborts the whole transaction on PostgreSQL.
    return update(
            "INSERT INTO dag_run ("
                + RUN_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            r.dagId(),
            r.runId(),
            r.logicalDate(),
            r.dataIntervalStart(),
            r.dataIntervalEnd(),
            r.state().dbValue(),
            r.runType().dbValue(),
            r.confJson(),
            ts(r.queuedAt()),
            ts(r.startDate()),
            ts(r.endDate()))
        > 0;
  }

  @Override
  public Optional<DagRun> run(String dagId, String runId) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ?",
        JdbcDagsAndRuns::dagRun,
        dagId,
        runId);
  }

  @Override
  public Optional<DagRun> lockRun(String dagId, String runId) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ? FOR UPDATE",
        JdbcDagsAndRuns::dagRun,
        dagId,
        runId);
  }

  @Override
  public Optional<DagRun> tryLockRun(String dagId, String runId) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ? FOR UPDATE SKIP LOCKED",
        JdbcDagsAndRuns::dagRun,
        dagId,
        runId);
  }

  @Override
  public List<DagRun> runs(String dagId, int limit) {
    return query(
        "SELECT * FROM dag_run WHERE dag_id = ? ORDER BY logical_date DESC LIMIT ?",
        JdbcDagsAndRuns::dagRun,
        dagId,
        limit);
  }

  @Override
  public List<DagRun> runsInState(DagRunState state) {
    return query(
        "SELECT * FROM dag_run WHERE state = ? ORDER BY logical_date",
        JdbcDagsAndRuns::dagRun,
        state.dbValue());
  }

  @Override
  public List<DagRun> claimQueuedRuns(String dagId, int limit) {
    return query(
        "SELECT * FROM dag_run WHERE dag_id = ? AND state = 'queued' ORDER BY logical_date LIMIT ?"
            + " FOR UPDATE SKIP LOCKED",
        JdbcDagsAndRuns::dagRun,
        dagId,
        limit);
  }

  @Override
  public Optional<DagRun> lastScheduledRun(String dagId) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND run_type = 'scheduled' ORDER BY logical_date DESC LIMIT 1",
        JdbcDagsAndRuns::dagRun,
        dagId);
  }

  @Override
  public Optional<DagRun> previousRun(String dagId, Instant logicalDate) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND logical_date < ? ORDER BY logical_date DESC LIMIT 1",
        JdbcDagsAndRuns::dagRun,
        dagId,
        logicalDate);
  }

  @Override
  public int countRuns(String dagId, DagRunState state) {
    return one(
            "SELECT COUNT(*) FROM dag_run WHERE dag_id = ? AND state = ? AND run_type <> 'backfill'",
            rs -> rs.getInt(1),
            dagId,
            state.dbValue())
        .orElse(0);
  }

  @Override
  public Optional<DagRun> runAt(String dagId, Instant logicalDate) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND logical_date = ?",
        JdbcDagsAndRuns::dagRun,
        dagId,
        logicalDate);
  }

  @Override
  public boolean updateRunState(DagRun r, DagRunState expected) {
    return update(
            "UPDATE dag_run SET state = ?, start_date = ?, end_date = ? WHERE dag_id = ? AND run_id = ? AND state = ?",
            r.state().dbValue(),
            ts(r.startDate()),
            ts(r.endDate()),
            r.dagId(),
            r.runId(),
            expected.dbValue())
        > 0;
  }

  @Override
  public int pruneFinishedRuns(Instant endedBefore, int limit) {
    List<String[]> victims =
        query(
            "SELECT r.dag_id, r.run_id FROM dag_run r WHERE r.state IN ('success', 'failed')"
                + " AND r.end_date < ? AND (r.run_type <> 'scheduled' OR EXISTS (SELECT 1 FROM dag_run l"
                + " WHERE l.dag_id = r.dag_id AND l.run_type = 'scheduled' AND l.logical_date > r.logical_date))"
                + " ORDER BY r.end_date LIMIT ?",
            rs -> new String[] {rs.getString(1), rs.getString(2)},
            endedBefore,
            limit);
    int n = 0;
    for (String[] v : victims) {
      update("DELETE FROM task_log WHERE dag_id = ? AND run_id = ?", v[0], v[1]);
      // task instances and XComs go with the run (ON DELETE CASCADE)
      n +=
          update(
              "DELETE FROM dag_run WHERE dag_id = ? AND run_id = ? AND state IN ('success', 'failed')",
              v[0],
              v[1]);
    }
    return n;
  }

  @Override
  public boolean deleteRun(String dagId, String runId) {
    update("DELETE FROM task_log WHERE dag_id = ? AND run_id = ?", dagId, runId);
    // task instances and XComs go with the run (ON DELETE CASCADE)
    return update("DELETE FROM dag_run WHERE dag_id = ? AND run_id = ?", dagId, runId) > 0;
  }

  @Override
  public int deleteDag(String dagId) {
    if (dag(dagId).isEmpty()) return -1;
    update("DELETE FROM task_log WHERE dag_id = ?", dagId);
    // task instances and XComs go with the runs (ON DELETE CASCADE)
    int runs = update("DELETE FROM dag_run WHERE dag_id = ?", dagId);
    update("DELETE FROM dag WHERE dag_id = ?", dagId);
    return runs;
  }
}
