package io.sluice.store;

import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.TaskInstanceKey;
import io.sluice.core.store.ActiveTasks;
import io.sluice.core.store.ClaimedScheduled;
import io.sluice.core.store.LockedRun;
import io.sluice.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statements of a task's hand-off that PostgreSQL receives together, in one round trip: the driver
 * sends the statements of one prepared statement separated by {@code ;} with a single {@code Sync},
 * and the server executes them one after the other, each with its own snapshot, as if sent one by
 * one. So a read that follows a lock in the same text still sees what the lock waited for.
 */
final class PostgresRoundTrips {
  private static final String APPEND_LOG =
      "INSERT INTO task_log (dag_id, run_id, task_id, try_number, line)"
          + " SELECT ?, ?, ?, ?, u.line FROM unnest(?) WITH ORDINALITY AS u(line, n) ORDER BY u.n;\n";
  private static final String LOCK_RUN =
      "SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ? FOR UPDATE;\n";
  private static final String ALL_INSTANCES =
      "SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? ORDER BY task_id";
  private static final String SOME_INSTANCES =
      "SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? AND task_id = ANY (?)";
  private static final String CLAIM_SCHEDULED =
      "SELECT * FROM task_instance WHERE state = 'scheduled' ORDER BY priority_weight DESC, queued_at"
          + " LIMIT ? FOR UPDATE SKIP LOCKED;\n";

  /** The limits of a dispatch: active instances per DAG, used slots per pool, pool sizes. */
  static final String LIMITS =
      "SELECT 'd' AS k, dag_id AS name, COUNT(*) AS n FROM task_instance"
          + " WHERE state IN ('queued', 'running') GROUP BY dag_id"
          + " UNION ALL SELECT 'u', pool, SUM(pool_slots) FROM task_instance"
          + " WHERE state IN ('queued', 'running') GROUP BY pool"
          + " UNION ALL SELECT 's', pool, slots FROM slot_pool";

  private PostgresRoundTrips() {}

  /** {@link io.sluice.core.store.StoreTransaction#appendLogAndLockRun}, in one round trip. */
  static Optional<LockedRun> appendLogAndLockRun(
      Connection c,
      TaskInstanceKey key,
      int tryNumber,
      List<String> lines,
      Collection<String> taskIds) {
    String dagId = key.dagId();
    String runId = key.runId();
    String sql =
        (lines.isEmpty() ? "" : APPEND_LOG)
            + LOCK_RUN
            + (taskIds == null ? ALL_INSTANCES : SOME_INSTANCES);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      List<Object> p = new ArrayList<>();
      if (!lines.isEmpty())
        p.addAll(
            List.of(
                dagId, runId, key.taskId(), tryNumber, c.createArrayOf("text", lines.toArray())));
      p.addAll(List.of(dagId, runId, dagId, runId));
      if (taskIds != null) p.add(c.createArrayOf("text", taskIds.toArray()));
      JdbcTransaction.bind(ps, p.toArray());
      ps.execute();
      if (!lines.isEmpty()) ps.getMoreResults();
      DagRun run = null;
      try (ResultSet rs = ps.getResultSet()) {
        if (rs.next()) run = JdbcTransaction.dagRun(rs);
      }
      ps.getMoreResults();
      List<TaskInstance> instances = new ArrayList<>();
      try (ResultSet rs = ps.getResultSet()) {
        while (rs.next()) instances.add(JdbcTransaction.taskInstance(rs));
      }
      return run == null ? Optional.empty() : Optional.of(new LockedRun(run, instances));
    } catch (SQLException e) {
      throw new StoreException("cannot lock run " + dagId + " " + runId + " and read it", e);
    }
  }

  /**
   * {@link io.sluice.core.store.StoreTransaction#claimScheduledAndLimits}, in one round trip; the
   * limits are read for every DAG and pool.
   */
  static ClaimedScheduled claimScheduledAndLimits(Connection c, int limit) {
    try (PreparedStatement ps = c.prepareStatement(CLAIM_SCHEDULED + LIMITS)) {
      ps.setInt(1, limit);
      ps.execute();
      return claimedAndLimits(ps);
    } catch (SQLException e) {
      throw new StoreException("cannot claim scheduled task instances", e);
    }
  }

  /**
   * {@link io.sluice.core.store.StoreTransaction#transitionAndClaimScheduled}, in one round trip:
   * the outcome's {@code UPDATE}, then the claim and the limits, which see it.
   */
  static ClaimedScheduled transitionAndClaimScheduled(
      Connection c, JdbcTaskTransitions.Update outcome, int limit) {
    try (PreparedStatement ps =
        c.prepareStatement(outcome.sql() + ";\n" + CLAIM_SCHEDULED + LIMITS)) {
      Object[] p = Arrays.copyOf(outcome.params(), outcome.params().length + 1);
      p[p.length - 1] = limit;
      JdbcTransaction.bind(ps, p);
      ps.execute();
      boolean written = ps.getUpdateCount() > 0;
      ps.getMoreResults();
      ClaimedScheduled both = claimedAndLimits(ps);
      return written ? both : null;
    } catch (SQLException e) {
      throw new StoreException("cannot record an outcome and claim scheduled task instances", e);
    }
  }

  /** The current result of {@code ps}, the claimed rows, and the next, the limits. */
  private static ClaimedScheduled claimedAndLimits(PreparedStatement ps) throws SQLException {
    List<TaskInstance> claimed = new ArrayList<>();
    try (ResultSet rs = ps.getResultSet()) {
      while (rs.next()) claimed.add(JdbcTransaction.taskInstance(rs));
    }
    ps.getMoreResults();
    try (ResultSet rs = ps.getResultSet()) {
      return new ClaimedScheduled(claimed, limits(rs));
    }
  }

  /** The rows of {@link #LIMITS} as a dispatch's limits. */
  static ActiveTasks limits(ResultSet rs) throws SQLException {
    Map<String, Integer> perDag = new HashMap<>();
    Map<String, Integer> used = new HashMap<>();
    Map<String, Integer> slots = new HashMap<>();
    while (rs.next()) {
      String k = rs.getString(1);
      (k.equals("d") ? perDag : k.equals("u") ? used : slots).put(rs.getString(2), rs.getInt(3));
    }
    return new ActiveTasks(perDag, used, slots);
  }
}
