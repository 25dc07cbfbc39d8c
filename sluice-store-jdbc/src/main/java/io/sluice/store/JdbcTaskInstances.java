package io.sluice.store;

import io.sluice.api.TaskState;
import io.sluice.core.model.Pool;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.TaskInstanceKey;
import io.sluice.core.store.ActiveTasks;
import io.sluice.core.store.ClaimedScheduled;
import io.sluice.core.store.LockedRun;
import io.sluice.core.store.StoreException;
import io.sluice.core.store.StoreTransaction;
import io.sluice.core.store.TaskInstanceOfRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Task instances: their reads, transitions, claims, the dispatch limits, pools and heartbeats, over
 * one JDBC connection in one transaction (see {@link JdbcTransaction}).
 */
abstract class JdbcTaskInstances extends JdbcStatements implements StoreTransaction {
  private static final String TI_COLUMNS =
      "dag_id, run_id, task_id, state, try_number, max_tries, priority_weight, pool, pool_slots, queued_at, start_date,"
          + " end_date, ready_at, first_attempt_start, rescheduled, executor_id, heartbeat_at, note";
  private final JdbcTaskTransitions transitions;

  JdbcTaskInstances(Connection c, JdbcStore.Dialect dialect, UncachedQueries uncached) {
    super(c, dialect, uncached);
    this.transitions = new JdbcTaskTransitions(c);
  }

  @Override
  public Optional<LockedRun> appendLogAndLockRun(
      TaskInstanceKey key, int tryNumber, List<String> lines, Collection<String> taskIds) {
    if (dialect == JdbcStore.Dialect.POSTGRESQL)
      return PostgresRoundTrips.appendLogAndLockRun(c, key, tryNumber, lines, taskIds);
    return StoreTransaction.super.appendLogAndLockRun(key, tryNumber, lines, taskIds);
  }

  // ---------------------------------------------------------------- task instances

  static TaskInstance taskInstance(ResultSet rs) throws SQLException {
    return new TaskInstance(
        rs.getString("dag_id"),
        rs.getString("run_id"),
        rs.getString("task_id"),
        TaskState.fromDb(rs.getString("state")),
        rs.getInt("try_number"),
        rs.getInt("max_tries"),
        rs.getInt("priority_weight"),
        rs.getString("pool"),
        rs.getInt("pool_slots"),
        instant(rs, "queued_at"),
        instant(rs, "start_date"),
        instant(rs, "end_date"),
        instant(rs, "ready_at"),
        instant(rs, "first_attempt_start"),
        rs.getBoolean("rescheduled"),
        rs.getString("executor_id"),
        instant(rs, "heartbeat_at"),
        rs.getString("note"));
  }

  @Override
  public void insertTaskInstances(Collection<TaskInstance> instances) {
    if (instances.isEmpty()) return;
    String sql =
        "INSERT INTO task_instance ("
            + TI_COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (TaskInstance t : instances) {
        bind(
            ps,
            t.dagId(),
            t.runId(),
            t.taskId(),
            t.state().dbValue(),
            t.tryNumber(),
            t.maxTries(),
            t.priorityWeight(),
            t.pool(),
            t.poolSlots(),
            ts(t.queuedAt()),
            ts(t.startDate()),
            ts(t.endDate()),
            ts(t.readyAt()),
            ts(t.firstAttemptStart()),
            t.rescheduled(),
            t.executorId(),
            ts(t.heartbeatAt()),
            t.note());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new StoreException("cannot insert task instances", e);
    }
  }

  @Override
  public List<TaskInstance> taskInstances(String dagId, String runId) {
    return query(
        "SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? ORDER BY task_id",
        JdbcTaskInstances::taskInstance,
        dagId,
        runId);
  }

  @Override
  public List<TaskInstance> taskInstances(String dagId, String runId, Collection<String> taskIds) {
    if (taskIds.isEmpty()) return List.of();
    Object[] params = new Object[taskIds.size() + 2];
    params[0] = dagId;
    params[1] = runId;
    int i = 2;
    for (String id : taskIds) params[i++] = id;
    return query(
        "SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? AND task_id IN ("
            + "?, ".repeat(taskIds.size() - 1)
            + "?)",
        JdbcTaskInstances::taskInstance,
        params);
  }

  @Override
  public Optional<TaskInstance> taskInstance(String dagId, String runId, String taskId) {
    return one(
        "SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? AND task_id = ?",
        JdbcTaskInstances::taskInstance,
        dagId,
        runId,
        taskId);
  }

  @Override
  public Optional<TaskInstanceOfRun> taskInstanceOfRun(String dagId, String runId, String taskId) {
    return one(
        "SELECT t.*, r.logical_date AS r_logical_date, r.data_interval_start AS r_data_interval_start,"
            + " r.data_interval_end AS r_data_interval_end, r.state AS r_state, r.run_type AS r_run_type,"
            + " r.conf AS r_conf, r.queued_at AS r_queued_at, r.start_date AS r_start_date,"
            + " r.end_date AS r_end_date FROM task_instance t JOIN dag_run r"
            + " ON r.dag_id = t.dag_id AND r.run_id = t.run_id"
            + " WHERE t.dag_id = ? AND t.run_id = ? AND t.task_id = ?",
        rs -> new TaskInstanceOfRun(taskInstance(rs), JdbcDagsAndRuns.dagRun(rs, "r_")),
        dagId,
        runId,
        taskId);
  }

  private static final String UPDATE_TI =
      "UPDATE task_instance SET state = ?, try_number = ?, max_tries = ?, queued_at = ?, start_date = ?, end_date = ?,"
          + " ready_at = ?, first_attempt_start = ?, rescheduled = ?, executor_id = ?, heartbeat_at = ?, note = ?"
          + " WHERE dag_id = ? AND run_id = ? AND task_id = ? AND state = ?";

  private static Object[] updateParams(TaskInstance t, TaskState expected) {
    return new Object[] {
      t.state().dbValue(),
      t.tryNumber(),
      t.maxTries(),
      ts(t.queuedAt()),
      ts(t.startDate()),
      ts(t.endDate()),
      ts(t.readyAt()),
      ts(t.firstAttemptStart()),
      t.rescheduled(),
      t.executorId(),
      ts(t.heartbeatAt()),
      t.note(),
      t.dagId(),
      t.runId(),
      t.taskId(),
      expected.dbValue()
    };
  }

  @Override
  public boolean updateTaskInstance(TaskInstance t, TaskState expected) {
    return update(UPDATE_TI, updateParams(t, expected)) > 0;
  }

  @Override
  public boolean transition(TaskInstance from, TaskInstance to) {
    return transitions.apply(from, to);
  }

  @Override
  public boolean claimQueued(TaskInstance queued, TaskInstance running) {
    return queued.state() == TaskState.QUEUED && transitions.claim(queued, running);
  }

  @Override
  public boolean[] transitions(List<TaskInstance> from, List<TaskInstance> to) {
    return transitions.apply(from, to);
  }

  @Override
  public List<TaskInstance> dueTaskInstances(TaskState state, Instant before) {
    return query(
        "SELECT * FROM task_instance WHERE state = ? AND ready_at <= ? ORDER BY ready_at",
        JdbcTaskInstances::taskInstance,
        state.dbValue(),
        before);
  }

  @Override
  public Optional<Instant> nextReadyAt() {
    return one(
        "SELECT MIN(ready_at) AS ready_at FROM task_instance WHERE state IN ('up_for_retry', 'up_for_reschedule')",
        rs -> instant(rs, "ready_at"));
  }

  @Override
  public List<TaskInstance> claimScheduled(int limit) {
    return query(
        "SELECT * FROM task_instance WHERE state = 'scheduled' ORDER BY priority_weight DESC, queued_at LIMIT ? FOR UPDATE SKIP LOCKED",
        JdbcTaskInstances::taskInstance,
        limit);
  }

  @Override
  public int countActiveTasks(String dagId) {
    return one(
            "SELECT COUNT(*) FROM task_instance WHERE dag_id = ? AND state IN ('queued', 'running')",
            rs -> rs.getInt(1),
            dagId)
        .orElse(0);
  }

  @Override
  public int usedPoolSlots(String pool) {
    return one(
            "SELECT COALESCE(SUM(pool_slots), 0) FROM task_instance WHERE pool = ? AND state IN ('queued', 'running')",
            rs -> rs.getInt(1),
            pool)
        .orElse(0);
  }

  @Override
  public ActiveTasks activeTasks(Collection<String> dagIds, Collection<String> pools) {
    Map<String, Integer> perDag = new HashMap<>();
    Map<String, Integer> used = new HashMap<>();
    Map<String, Integer> slots = new HashMap<>();
    query(
        PostgresRoundTrips.LIMITS,
        rs -> {
          String k = rs.getString(1);
          (k.equals("d") ? perDag : k.equals("u") ? used : slots)
              .put(rs.getString(2), rs.getInt(3));
          return k;
        });
    return new ActiveTasks(perDag, used, slots);
  }

  @Override
  public ClaimedScheduled claimScheduledAndLimits(
      int limit, Collection<String> dagIds, Collection<String> pools) {
    if (dialect == JdbcStore.Dialect.POSTGRESQL)
      return PostgresRoundTrips.claimScheduledAndLimits(c, limit);
    return StoreTransaction.super.claimScheduledAndLimits(limit, dagIds, pools);
  }

  @Override
  public ClaimedScheduled transitionAndClaimScheduled(
      TaskInstance from,
      TaskInstance to,
      int limit,
      Collection<String> dagIds,
      Collection<String> pools) {
    if (dialect == JdbcStore.Dialect.POSTGRESQL)
      return PostgresRoundTrips.transitionAndClaimScheduled(
          c, JdbcTaskTransitions.update(from, to), limit);
    return StoreTransaction.super.transitionAndClaimScheduled(from, to, limit, dagIds, pools);
  }

  @Override
  public Optional<Pool> pool(String name) {
    return one(
        "SELECT * FROM slot_pool WHERE pool = ?",
        rs -> new Pool(rs.getString("pool"), rs.getInt("slots"), rs.getString("description")),
        name);
  }

  @Override
  public List<Pool> pools() {
    return query(
        "SELECT * FROM slot_pool ORDER BY pool",
        rs -> new Pool(rs.getString("pool"), rs.getInt("slots"), rs.getString("description")));
  }

  @Override
  public boolean deletePool(String name) {
    return update("DELETE FROM slot_pool WHERE pool = ?", name) > 0;
  }

  @Override
  public void upsertPool(Pool p) {
    if (update(
            "UPDATE slot_pool SET slots = ?, description = ? WHERE pool = ?",
            p.slots(),
            p.description(),
            p.name())
        == 0)
      update(
          "INSERT INTO slot_pool (pool, slots, description) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
          p.name(),
          p.slots(),
          p.description());
  }

  @Override
  public int heartbeat(String executorId, Instant now) {
    // why: a row locked by another transaction is a task being claimed or finished right now, whose
    // own write sets or ends its heartbeat; waiting for it would hold up every other task behind
    // the
    // rows this statement locked already.
    return update(
        "UPDATE task_instance SET heartbeat_at = ? WHERE (dag_id, run_id, task_id) IN"
            + " (SELECT dag_id, run_id, task_id FROM task_instance WHERE executor_id = ?"
            + " AND state IN ('queued', 'running') FOR UPDATE SKIP LOCKED)",
        now,
        executorId);
  }

  @Override
  public List<TaskInstance> staleTaskInstances(Instant before, String exceptExecutorId) {
    return query(
        "SELECT * FROM task_instance WHERE state IN ('queued', 'running') AND (executor_id IS NULL OR executor_id <> ?)"
            + " AND (heartbeat_at IS NULL OR heartbeat_at < ?)",
        JdbcTaskInstances::taskInstance,
        exceptExecutorId,
        before);
  }
}
