package io.sluice.store;

import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * State transitions of task instances, within a {@link JdbcTransaction}: each writes only the
 * columns that differ between the instance as read and as it becomes, so that a claim or an outcome
 * binds a few parameters instead of the whole row.
 */
final class JdbcTaskTransitions {
  private record Column(String name, Function<TaskInstance, Object> value) {}

  // why: state is first and always written, so that a transition that changes nothing else still
  // checks (and reports) that the row is in the state it was read in
  private static final List<Column> COLUMNS =
      List.of(
          new Column("state", t -> t.state().dbValue()),
          new Column("try_number", TaskInstance::tryNumber),
          new Column("max_tries", TaskInstance::maxTries),
          new Column("queued_at", t -> JdbcTransaction.ts(t.queuedAt())),
          new Column("start_date", t -> JdbcTransaction.ts(t.startDate())),
          new Column("end_date", t -> JdbcTransaction.ts(t.endDate())),
          new Column("ready_at", t -> JdbcTransaction.ts(t.readyAt())),
          new Column("first_attempt_start", t -> JdbcTransaction.ts(t.firstAttemptStart())),
          new Column("rescheduled", TaskInstance::rescheduled),
          new Column("executor_id", TaskInstance::executorId),
          new Column("heartbeat_at", t -> JdbcTransaction.ts(t.heartbeatAt())),
          new Column("note", TaskInstance::note));

  private static final Map<Integer, String> SQL = new ConcurrentHashMap<>();
  private static final Map<Integer, String> CLAIM_SQL = new ConcurrentHashMap<>();

  private final Connection c;

  JdbcTaskTransitions(Connection c) {
    this.c = c;
  }

  /** The set of changed columns, one bit per entry of {@link #COLUMNS}; bit 0 always set. */
  private static int changed(TaskInstance from, TaskInstance to) {
    int mask = 1;
    for (int i = 1; i < COLUMNS.size(); i++) {
      Function<TaskInstance, Object> v = COLUMNS.get(i).value();
      if (!Objects.equals(v.apply(from), v.apply(to))) mask |= 1 << i;
    }
    return mask;
  }

  private static String sql(int mask) {
    return SQL.computeIfAbsent(
        mask,
        m -> {
          List<String> set = new ArrayList<>();
          for (int i = 0; i < COLUMNS.size(); i++)
            if ((m & (1 << i)) != 0) set.add(COLUMNS.get(i).name() + " = ?");
          return "UPDATE task_instance SET "
              + String.join(", ", set)
              + " WHERE dag_id = ? AND run_id = ? AND task_id = ? AND state = ?";
        });
  }

  private static Object[] params(int mask, TaskInstance from, TaskInstance to) {
    List<Object> p = new ArrayList<>(Integer.bitCount(mask) + 4);
    for (int i = 0; i < COLUMNS.size(); i++)
      if ((mask & (1 << i)) != 0) p.add(COLUMNS.get(i).value().apply(to));
    p.add(to.dagId());
    p.add(to.runId());
    p.add(to.taskId());
    p.add(from.state().dbValue());
    return p.toArray();
  }

  /** Writes each transition {@code from.get(i)} to {@code to.get(i)}; one batch per column set. */
  boolean[] apply(List<TaskInstance> from, List<TaskInstance> to) {
    boolean[] done = new boolean[to.size()];
    Map<Integer, List<Integer>> byMask = new LinkedHashMap<>();
    for (int i = 0; i < done.length; i++)
      byMask.computeIfAbsent(changed(from.get(i), to.get(i)), m -> new ArrayList<>()).add(i);
    for (Map.Entry<Integer, List<Integer>> group : byMask.entrySet()) {
      int mask = group.getKey();
      try (PreparedStatement ps = c.prepareStatement(sql(mask))) {
        for (int i : group.getValue()) {
          JdbcTransaction.bind(ps, params(mask, from.get(i), to.get(i)));
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        // why: a driver may report a batched update as done without its row count
        for (int k = 0; k < counts.length; k++)
          done[group.getValue().get(k)] = counts[k] > 0 || counts[k] == Statement.SUCCESS_NO_INFO;
      } catch (SQLException e) {
        throw new StoreException("cannot update task instances", e);
      }
    }
    return done;
  }

  /** The statement of {@link #apply(TaskInstance, TaskInstance)} and its parameters. */
  record Update(String sql, Object[] params) {}

  static Update update(TaskInstance from, TaskInstance to) {
    int mask = changed(from, to);
    return new Update(sql(mask), params(mask, from, to));
  }

  /** Writes the transition {@code from} to {@code to}; false if the row is no longer in it. */
  boolean apply(TaskInstance from, TaskInstance to) {
    int mask = changed(from, to);
    return update(sql(mask), params(mask, from, to), to);
  }

  /**
   * As {@link #apply(TaskInstance, TaskInstance)} for a claim of a row not read first: also false
   * unless the row still has the executor, try number and tries of {@code from}.
   */
  boolean claim(TaskInstance from, TaskInstance to) {
    int mask = changed(from, to);
    Object[] p = params(mask, from, to);
    Object[] guarded = Arrays.copyOf(p, p.length + 3);
    guarded[p.length] = from.executorId();
    guarded[p.length + 1] = from.tryNumber();
    guarded[p.length + 2] = from.maxTries();
    String sql =
        CLAIM_SQL.computeIfAbsent(
            mask, m -> sql(m) + " AND executor_id = ? AND try_number = ? AND max_tries = ?");
    return update(sql, guarded, to);
  }

  private boolean update(String sql, Object[] params, TaskInstance to) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      JdbcTransaction.bind(ps, params);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new StoreException("cannot update task instance " + to.key(), e);
    }
  }
}
