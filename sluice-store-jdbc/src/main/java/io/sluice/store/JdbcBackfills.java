package io.sluice.store;

import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.ReprocessBehavior;
import io.sluice.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The {@code backfill} and {@code backfill_dag_run} tables, within a {@link JdbcTransaction}. */
final class JdbcBackfills {
  private final JdbcTransaction tx;

  JdbcBackfills(JdbcTransaction tx) {
    this.tx = tx;
  }

  private static Backfill backfill(ResultSet rs) throws SQLException {
    return new Backfill(
        rs.getLong("id"),
        rs.getString("dag_id"),
        JdbcTransaction.instant(rs, "from_date"),
        JdbcTransaction.instant(rs, "to_date"),
        rs.getString("dag_run_conf"),
        ReprocessBehavior.fromDb(rs.getString("reprocess_behavior")),
        rs.getInt("max_active_runs"),
        rs.getBoolean("run_backwards"),
        rs.getBoolean("is_paused"),
        JdbcTransaction.instant(rs, "created_at"),
        JdbcTransaction.instant(rs, "completed_at"),
        JdbcTransaction.instant(rs, "updated_at"));
  }

  private static BackfillDagRun dagRun(ResultSet rs) throws SQLException {
    return new BackfillDagRun(
        rs.getLong("backfill_id"),
        rs.getInt("sort_ordinal"),
        JdbcTransaction.instant(rs, "logical_date"),
        rs.getString("run_id"),
        rs.getString("exception_reason"));
  }

  long insert(Connection c, Backfill b, List<Instant> logicalDates) {
    String sql =
        "INSERT INTO backfill (dag_id, from_date, to_date, dag_run_conf, reprocess_behavior,"
            + " max_active_runs, run_backwards, is_paused, created_at, completed_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    long id;
    try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"id"})) {
      ps.setString(1, b.dagId());
      ps.setObject(2, b.fromDate().atOffset(ZoneOffset.UTC));
      ps.setObject(3, b.toDate().atOffset(ZoneOffset.UTC));
      ps.setString(4, b.confJson());
      ps.setString(5, b.reprocessBehavior().dbValue());
      ps.setInt(6, b.maxActiveRuns());
      ps.setBoolean(7, b.runBackwards());
      ps.setBoolean(8, b.paused());
      ps.setObject(9, b.createdAt().atOffset(ZoneOffset.UTC));
      if (b.completedAt() == null) ps.setNull(10, Types.TIMESTAMP_WITH_TIMEZONE);
      else ps.setObject(10, b.completedAt().atOffset(ZoneOffset.UTC));
      ps.setObject(11, b.updatedAt().atOffset(ZoneOffset.UTC));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("insert failed [" + sql + "]", e);
    }
    for (int i = 0; i < logicalDates.size(); i++)
      tx.update(
          "INSERT INTO backfill_dag_run (backfill_id, sort_ordinal, logical_date) VALUES (?, ?, ?)",
          id,
          i,
          logicalDates.get(i));
    return id;
  }

  Optional<Backfill> get(long id, boolean lock) {
    return tx.one(
        "SELECT * FROM backfill WHERE id = ?" + (lock ? " FOR UPDATE" : ""),
        JdbcBackfills::backfill,
        id);
  }

  List<Backfill> list(String dagId) {
    return dagId == null
        ? tx.query("SELECT * FROM backfill ORDER BY id DESC", JdbcBackfills::backfill)
        : tx.query(
            "SELECT * FROM backfill WHERE dag_id = ? ORDER BY id DESC",
            JdbcBackfills::backfill,
            dagId);
  }

  List<Backfill> active() {
    return tx.query(
        "SELECT * FROM backfill WHERE completed_at IS NULL ORDER BY id", JdbcBackfills::backfill);
  }

  boolean update(Backfill b) {
    return tx.update(
            "UPDATE backfill SET is_paused = ?, completed_at = ?, updated_at = ? WHERE id = ?",
            b.paused(),
            JdbcTransaction.ts(b.completedAt()),
            JdbcTransaction.ts(b.updatedAt()),
            b.id())
        > 0;
  }

  List<BackfillDagRun> dagRuns(long backfillId) {
    return tx.query(
        "SELECT * FROM backfill_dag_run WHERE backfill_id = ? ORDER BY sort_ordinal",
        JdbcBackfills::dagRun,
        backfillId);
  }

  void updateDagRun(BackfillDagRun r) {
    tx.update(
        "UPDATE backfill_dag_run SET run_id = ?, exception_reason = ?"
            + " WHERE backfill_id = ? AND sort_ordinal = ?",
        r.runId(),
        r.exceptionReason(),
        r.backfillId(),
        r.sortOrdinal());
  }
}
