package io.sluice.store;

import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.Lease;
import io.sluice.core.model.Pool;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.TaskInstanceKey;
import io.sluice.core.model.XComEntry;
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
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The repositories over one JDBC connection in one transaction. */
final class JdbcTransaction implements StoreTransaction {
  private static final String RUN_COLUMNS =
      "dag_id, run_id, logical_date, data_interval_start, data_interval_end, state, run_type, conf, queued_at, start_date, end_date";
  private static final String TI_COLUMNS =
      "dag_id, run_id, task_id, state, try_number, max_tries, priority_weight, pool, pool_slots, queued_at, start_date,"
          + " end_date, ready_at, first_attempt_start, rescheduled, executor_id, heartbeat_at, note";

  private final Connection c;
  private final JdbcStore.Dialect dialect;
  private final UncachedQueries uncached;
  private final JdbcBackfills backfills = new JdbcBackfills(this);
  private final JdbcLeases leases = new JdbcLeases(this);
  private final JdbcRenderedFields rendered = new JdbcRenderedFields(this);
  private final JdbcTaskTransitions transitions;

  /**
   * @param uncached where the queries H2 does not cache stay prepared; null to prepare each anew
   */
  JdbcTransaction(Connection c, JdbcStore.Dialect dialect, UncachedQueries uncached) {
    this.c = c;
    this.dialect = dialect;
    this.uncached = uncached;
    this.transitions = new JdbcTaskTransitions(c);
  }

  @FunctionalInterface
  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  <T> List<T> query(String sql, Mapper<T> mapper, Object... params) {
    if (uncached != null && UncachedQueries.uncached(sql))
      return uncachedQuery(sql, mapper, params);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      return run(ps, mapper, params);
    } catch (SQLException e) {
      throw new StoreException("query failed [" + sql + "]", e);
    }
  }

  private <T> List<T> uncachedQuery(String sql, Mapper<T> mapper, Object... params) {
    try {
      return run(uncached.prepare(c, sql), mapper, params);
    } catch (SQLException e) {
      uncached.forget(c, sql);
      throw new StoreException("query failed [" + sql + "]", e);
    }
  }

  private static <T> List<T> run(PreparedStatement ps, Mapper<T> mapper, Object... params)
      throws SQLException {
    bind(ps, params);
    try (ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) out.add(mapper.map(rs));
      return out;
    }
  }

  <T> Optional<T> one(String sql, Mapper<T> mapper, Object... params) {
    List<T> l = query(sql, mapper, params);
    return l.isEmpty() ? Optional.empty() : Optional.ofNullable(l.get(0));
  }

  int update(String sql, Object... params) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("update failed [" + sql + "]", e);
    }
  }

  static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant t) ps.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
      else if (p instanceof Ts t) {
        if (t.value == null) ps.setNull(i + 1, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(i + 1, t.value.atOffset(ZoneOffset.UTC));
      } else if (p instanceof Big b) {
        if (b.value == null) ps.setNull(i + 1, Types.BIGINT);
        else ps.setLong(i + 1, b.value);
      } else if (p == null) ps.setNull(i + 1, Types.VARCHAR);
      else ps.setObject(i + 1, p);
    }
  }

  /** A nullable timestamp parameter (a bare null would be bound as text). */
  record Ts(Instant value) {}

  /** A nullable BIGINT parameter. */
  record Big(Long value) {}

  static Ts ts(Instant i) {
    return new Ts(i);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
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
    return one("SELECT * FROM dag WHERE dag_id = ?", JdbcTransaction::dagRecord, dagId);
  }

  @Override
  public List<DagRecord> dags() {
    return query("SELECT * FROM dag ORDER BY dag_id", JdbcTransaction::dagRecord);
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
        JdbcTransaction::dagRun,
        dagId,
        runId);
  }

  @Override
  public Optional<DagRun> lockRun(String dagId, String runId) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ? FOR UPDATE",
        JdbcTransaction::dagRun,
        dagId,
        runId);
  }

  @Override
  public Optional<LockedRun> appendLogAndLockRun(
      TaskInstanceKey key, int tryNumber, List<String> lines, Collection<String> taskIds) {
    if (dialect == JdbcStore.Dialect.POSTGRESQL)
      return PostgresRoundTrips.appendLogAndLockRun(c, key, tryNumber, lines, taskIds);
    return StoreTransaction.super.appendLogAndLockRun(key, tryNumber, lines, taskIds);
  }

  @Override
  public Optional<DagRun> tryLockRun(String dagId, String runId) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND run_id = ? FOR UPDATE SKIP LOCKED",
        JdbcTransaction::dagRun,
        dagId,
        runId);
  }

  @Override
  public List<DagRun> runs(String dagId, int limit) {
    return query(
        "SELECT * FROM dag_run WHERE dag_id = ? ORDER BY logical_date DESC LIMIT ?",
        JdbcTransaction::dagRun,
        dagId,
        limit);
  }

  @Override
  public List<DagRun> runsInState(DagRunState state) {
    return query(
        "SELECT * FROM dag_run WHERE state = ? ORDER BY logical_date",
        JdbcTransaction::dagRun,
        state.dbValue());
  }

  @Override
  public List<DagRun> claimQueuedRuns(String dagId, int limit) {
    return query(
        "SELECT * FROM dag_run WHERE dag_id = ? AND state = 'queued' ORDER BY logical_date LIMIT ?"
            + " FOR UPDATE SKIP LOCKED",
        JdbcTransaction::dagRun,
        dagId,
        limit);
  }

  @Override
  public Optional<DagRun> lastScheduledRun(String dagId) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND run_type = 'scheduled' ORDER BY logical_date DESC LIMIT 1",
        JdbcTransaction::dagRun,
        dagId);
  }

  @Override
  public Optional<DagRun> previousRun(String dagId, Instant logicalDate) {
    return one(
        "SELECT * FROM dag_run WHERE dag_id = ? AND logical_date < ? ORDER BY logical_date DESC LIMIT 1",
        JdbcTransaction::dagRun,
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
        JdbcTransaction::dagRun,
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
        JdbcTransaction::taskInstance,
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
        JdbcTransaction::taskInstance,
        params);
  }

  @Override
  public Optional<TaskInstance> taskInstance(String dagId, String runId, String taskId) {
    return one(
        "SELECT * FROM task_instance WHERE dag_id = ? AND run_id = ? AND task_id = ?",
        JdbcTransaction::taskInstance,
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
        rs -> new TaskInstanceOfRun(taskInstance(rs), dagRun(rs, "r_")),
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
        JdbcTransaction::taskInstance,
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
        JdbcTransaction::taskInstance,
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
        JdbcTransaction::taskInstance,
        exceptExecutorId,
        before);
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

  JdbcStore.Dialect dialect() {
    return dialect;
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
