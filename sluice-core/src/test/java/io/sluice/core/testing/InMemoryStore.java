package io.sluice.core.testing;

import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.Lease;
import io.sluice.core.model.Pool;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.XComEntry;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A {@link MetadataStore} in memory, for the engine's tests (JobRunr's {@code
 * InMemoryStorageProvider} is the model). One transaction at a time, under one lock, so every lock
 * a transaction asks for is granted; a transaction that throws leaves the store as it found it. The
 * JDBC store's contract tests pin down the same behaviour on H2 and PostgreSQL.
 */
public final class InMemoryStore implements MetadataStore {
  private final ReentrantLock lock = new ReentrantLock();
  private State state = new State();

  /** Everything stored; copied at the start of a transaction so that a failed one rolls back. */
  private static final class State {
    final Map<String, DagRecord> dags = new TreeMap<>();
    final Map<String, DagRun> runs = new TreeMap<>();
    final Map<String, TaskInstance> tasks = new TreeMap<>();
    final Map<String, String> xcoms = new TreeMap<>();
    final Map<String, String> variables = new TreeMap<>();
    final Map<String, List<String>> logs = new TreeMap<>();
    final Map<String, List<ImportError>> errors = new TreeMap<>();
    final Map<String, Pool> pools = new TreeMap<>();
    final Map<String, Lease> leases = new TreeMap<>();
    InMemoryBackfills backfills = new InMemoryBackfills();

    State() {
      pools.put("default_pool", new Pool("default_pool", 128, "Default pool"));
    }

    State copy() {
      State c = new State();
      c.dags.putAll(dags);
      c.runs.putAll(runs);
      c.tasks.putAll(tasks);
      c.xcoms.putAll(xcoms);
      c.variables.putAll(variables);
      logs.forEach((k, v) -> c.logs.put(k, new ArrayList<>(v)));
      c.errors.putAll(errors);
      c.pools.putAll(pools);
      c.leases.putAll(leases);
      c.backfills = backfills.copy();
      return c;
    }
  }

  @Override
  public <T> T inTransaction(TransactionWork<T> work) {
    lock.lock();
    try {
      if (lock.getHoldCount() > 1) return work.run(new Tx(state));
      State before = state;
      state = before.copy();
      try {
        return work.run(new Tx(state));
      } catch (RuntimeException | Error e) {
        state = before;
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void migrate() {}

  @Override
  public void reset() {
    lock.lock();
    try {
      state = new State();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String describe() {
    return "in-memory metadata store";
  }

  @Override
  public void close() {}

  private static String key(String... parts) {
    return String.join("\u0000", parts) + "\u0000";
  }

  /** The transaction's view: plain map operations on the (copied) state. */
  private record Tx(State s) implements StoreTransaction {
    @Override
    public void upsertDag(DagRecord d) {
      DagRecord old = s.dags.get(d.dagId());
      s.dags.put(
          d.dagId(),
          old == null
              ? d
              : new DagRecord(
                  d.dagId(),
                  old.paused(),
                  d.schedule(),
                  d.description(),
                  d.source(),
                  d.active(),
                  d.lastParsedAt()));
    }

    @Override
    public Optional<DagRecord> dag(String dagId) {
      return Optional.ofNullable(s.dags.get(dagId));
    }

    @Override
    public List<DagRecord> dags() {
      return List.copyOf(s.dags.values());
    }

    @Override
    public void markActive(Collection<String> ids) {
      s.dags.replaceAll(
          (id, d) ->
              new DagRecord(
                  id,
                  d.paused(),
                  d.schedule(),
                  d.description(),
                  d.source(),
                  ids.contains(id),
                  d.lastParsedAt()));
    }

    @Override
    public boolean setPaused(String dagId, boolean paused) {
      DagRecord d = s.dags.get(dagId);
      if (d == null) return false;
      s.dags.put(
          dagId,
          new DagRecord(
              dagId,
              paused,
              d.schedule(),
              d.description(),
              d.source(),
              d.active(),
              d.lastParsedAt()));
      return true;
    }

    @Override
    public boolean insertRun(DagRun r) {
      boolean clash =
          s.runs.values().stream()
              .anyMatch(
                  o ->
                      o.dagId().equals(r.dagId())
                          && (o.runId().equals(r.runId())
                              || o.logicalDate().equals(r.logicalDate())));
      if (clash) return false;
      s.runs.put(key(r.dagId(), r.runId()), r);
      return true;
    }

    @Override
    public Optional<DagRun> run(String dagId, String runId) {
      return Optional.ofNullable(s.runs.get(key(dagId, runId)));
    }

    @Override
    public Optional<DagRun> lockRun(String dagId, String runId) {
      return run(dagId, runId);
    }

    @Override
    public Optional<DagRun> tryLockRun(String dagId, String runId) {
      return run(dagId, runId);
    }

    private List<DagRun> runsWhere(Predicate<DagRun> p, boolean newestFirst) {
      Comparator<DagRun> byDate = Comparator.comparing(DagRun::logicalDate);
      return s.runs.values().stream()
          .filter(p)
          .sorted(newestFirst ? byDate.reversed() : byDate)
          .toList();
    }

    @Override
    public List<DagRun> runs(String dagId, int limit) {
      return runsWhere(r -> r.dagId().equals(dagId), true).stream().limit(limit).toList();
    }

    @Override
    public List<DagRun> runsInState(DagRunState state) {
      return runsWhere(r -> r.state() == state, false);
    }

    @Override
    public List<DagRun> claimQueuedRuns(String dagId, int limit) {
      return runsWhere(r -> r.dagId().equals(dagId) && r.state() == DagRunState.QUEUED, false)
          .stream()
          .limit(limit)
          .toList();
    }

    @Override
    public Optional<DagRun> lastScheduledRun(String dagId) {
      return runsWhere(r -> r.dagId().equals(dagId) && r.runType() == RunType.SCHEDULED, true)
          .stream()
          .findFirst();
    }

    @Override
    public Optional<DagRun> previousRun(String dagId, Instant logicalDate) {
      return runsWhere(r -> r.dagId().equals(dagId) && r.logicalDate().isBefore(logicalDate), true)
          .stream()
          .findFirst();
    }

    @Override
    public int countRuns(String dagId, DagRunState state) {
      return runsWhere(
              r -> r.dagId().equals(dagId) && r.state() == state && r.runType() != RunType.BACKFILL,
              false)
          .size();
    }

    @Override
    public Optional<DagRun> runAt(String dagId, Instant logicalDate) {
      return runsWhere(r -> r.dagId().equals(dagId) && r.logicalDate().equals(logicalDate), false)
          .stream()
          .findFirst();
    }

    @Override
    public boolean updateRunState(DagRun r, DagRunState expected) {
      DagRun cur = s.runs.get(key(r.dagId(), r.runId()));
      if (cur == null || cur.state() != expected) return false;
      s.runs.put(key(r.dagId(), r.runId()), cur.withState(r.state(), r.startDate(), r.endDate()));
      return true;
    }

    @Override
    public void insertTaskInstances(Collection<TaskInstance> instances) {
      for (TaskInstance t : instances) s.tasks.put(key(t.dagId(), t.runId(), t.taskId()), t);
    }

    private List<TaskInstance> tasksWhere(Predicate<TaskInstance> p) {
      return s.tasks.values().stream().filter(p).toList();
    }

    @Override
    public List<TaskInstance> taskInstances(String dagId, String runId) {
      return tasksWhere(t -> t.dagId().equals(dagId) && t.runId().equals(runId));
    }

    @Override
    public Optional<TaskInstance> taskInstance(String dagId, String runId, String taskId) {
      return Optional.ofNullable(s.tasks.get(key(dagId, runId, taskId)));
    }

    @Override
    public boolean updateTaskInstance(TaskInstance t, TaskState expected) {
      String k = key(t.dagId(), t.runId(), t.taskId());
      TaskInstance cur = s.tasks.get(k);
      if (cur == null || cur.state() != expected) return false;
      s.tasks.put(k, t);
      return true;
    }

    @Override
    public List<TaskInstance> dueTaskInstances(TaskState state, Instant before) {
      return tasksWhere(
              t -> t.state() == state && t.readyAt() != null && !t.readyAt().isAfter(before))
          .stream()
          .sorted(Comparator.comparing(TaskInstance::readyAt))
          .toList();
    }

    @Override
    public Optional<Instant> nextReadyAt() {
      return tasksWhere(
              t ->
                  (t.state() == TaskState.UP_FOR_RETRY || t.state() == TaskState.UP_FOR_RESCHEDULE)
                      && t.readyAt() != null)
          .stream()
          .map(TaskInstance::readyAt)
          .min(Comparator.naturalOrder());
    }

    @Override
    public List<TaskInstance> claimScheduled(int limit) {
      return tasksWhere(t -> t.state() == TaskState.SCHEDULED).stream()
          .sorted(
              Comparator.comparing(TaskInstance::priorityWeight)
                  .reversed()
                  .thenComparing(
                      TaskInstance::queuedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
          .limit(limit)
          .toList();
    }

    private static boolean active(TaskInstance t) {
      return t.state() == TaskState.QUEUED || t.state() == TaskState.RUNNING;
    }

    @Override
    public int countActiveTasks(String dagId) {
      return tasksWhere(t -> t.dagId().equals(dagId) && active(t)).size();
    }

    @Override
    public int usedPoolSlots(String pool) {
      return tasksWhere(t -> t.pool().equals(pool) && active(t)).stream()
          .mapToInt(TaskInstance::poolSlots)
          .sum();
    }

    @Override
    public Optional<Pool> pool(String name) {
      return Optional.ofNullable(s.pools.get(name));
    }

    @Override
    public List<Pool> pools() {
      return List.copyOf(s.pools.values());
    }

    @Override
    public boolean deletePool(String name) {
      return s.pools.remove(name) != null;
    }

    @Override
    public void upsertPool(Pool pool) {
      s.pools.put(pool.name(), pool);
    }

    @Override
    public int heartbeat(String executorId, Instant now) {
      List<TaskInstance> mine = tasksWhere(t -> executorId.equals(t.executorId()) && active(t));
      for (TaskInstance t : mine)
        s.tasks.put(key(t.dagId(), t.runId(), t.taskId()), t.toBuilder().heartbeatAt(now).build());
      return mine.size();
    }

    @Override
    public List<TaskInstance> staleTaskInstances(Instant before, String exceptExecutorId) {
      return tasksWhere(
          t ->
              active(t)
                  && !Objects.equals(t.executorId(), exceptExecutorId)
                  && t.heartbeatAt() != null
                  && t.heartbeatAt().isBefore(before));
    }

    @Override
    public int pruneFinishedRuns(Instant endedBefore, int limit) {
      List<DagRun> victims =
          s.runs.values().stream()
              .filter(r -> r.state().isFinished() && r.endDate() != null)
              .filter(r -> r.endDate().isBefore(endedBefore))
              .filter(
                  r ->
                      r.runType() != RunType.SCHEDULED
                          || lastScheduledRun(r.dagId())
                              .map(l -> l.logicalDate().isAfter(r.logicalDate()))
                              .orElse(false))
              .sorted(Comparator.comparing(DagRun::endDate))
              .limit(limit)
              .toList();
      victims.forEach(r -> deleteRun(r.dagId(), r.runId()));
      return victims.size();
    }

    @Override
    public boolean deleteRun(String dagId, String runId) {
      String prefix = key(dagId, runId);
      s.tasks.keySet().removeIf(k -> k.startsWith(prefix));
      s.xcoms.keySet().removeIf(k -> k.startsWith(prefix));
      s.logs.keySet().removeIf(k -> k.startsWith(prefix));
      return s.runs.remove(prefix) != null;
    }

    @Override
    public int deleteDag(String dagId) {
      if (s.dags.remove(dagId) == null) return -1;
      List<DagRun> runs = runs(dagId, Integer.MAX_VALUE);
      runs.forEach(r -> deleteRun(r.dagId(), r.runId()));
      return runs.size();
    }

    @Override
    public void putXCom(String dagId, String runId, String taskId, String key, String value) {
      s.xcoms.put(key(dagId, runId, taskId, key), value);
    }

    @Override
    public Optional<String> xcom(String dagId, String runId, String taskId, String key) {
      return Optional.ofNullable(s.xcoms.get(key(dagId, runId, taskId, key)));
    }

    @Override
    public List<XComEntry> xcoms(String dagId, String runId, String taskId) {
      String prefix = key(dagId, runId, taskId);
      List<XComEntry> out = new ArrayList<>();
      s.xcoms.forEach(
          (k, v) -> {
            if (k.startsWith(prefix))
              // why: this store keeps no write times; the epoch marks "unknown"
              out.add(
                  new XComEntry(
                      dagId,
                      runId,
                      taskId,
                      k.substring(prefix.length(), k.length() - 1),
                      v,
                      Instant.EPOCH));
          });
      return out;
    }

    @Override
    public void clearXComs(String dagId, String runId, String taskId) {
      String prefix = key(dagId, runId, taskId);
      s.xcoms.keySet().removeIf(k -> k.startsWith(prefix));
    }

    @Override
    public Optional<String> variable(String key) {
      return Optional.ofNullable(s.variables.get(key));
    }

    @Override
    public void setVariable(String key, String value, String description) {
      s.variables.put(key, value);
    }

    @Override
    public boolean deleteVariable(String key) {
      return s.variables.remove(key) != null;
    }

    @Override
    public Map<String, String> variables() {
      return Map.copyOf(s.variables);
    }

    @Override
    public void appendLog(
        String dagId, String runId, String taskId, int tryNumber, List<String> lines) {
      s.logs
          .computeIfAbsent(
              key(dagId, runId, taskId, Integer.toString(tryNumber)), k -> new ArrayList<>())
          .addAll(lines);
    }

    @Override
    public List<String> readLog(String dagId, String runId, String taskId, int tryNumber) {
      return List.copyOf(
          s.logs.getOrDefault(key(dagId, runId, taskId, Integer.toString(tryNumber)), List.of()));
    }

    @Override
    public void replaceImportErrors(String source, List<ImportError> errors) {
      if (errors.isEmpty()) s.errors.remove(source);
      else s.errors.put(source, List.copyOf(errors));
    }

    @Override
    public void retainImportErrors(Collection<String> sources) {
      s.errors.keySet().retainAll(sources);
    }

    @Override
    public List<ImportError> importErrors() {
      return s.errors.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public long insertBackfill(Backfill b, List<Instant> logicalDates) {
      return s.backfills.insert(b, logicalDates);
    }

    @Override
    public Optional<Backfill> backfill(long id) {
      return s.backfills.get(id);
    }

    @Override
    public Optional<Backfill> lockBackfill(long id) {
      return s.backfills.get(id);
    }

    @Override
    public List<Backfill> backfills(String dagId) {
      return s.backfills.list(dagId);
    }

    @Override
    public List<Backfill> activeBackfills() {
      return s.backfills.active();
    }

    @Override
    public boolean updateBackfill(Backfill b) {
      return s.backfills.update(b);
    }

    @Override
    public List<BackfillDagRun> backfillDagRuns(long backfillId) {
      return s.backfills.dagRuns(backfillId);
    }

    @Override
    public void updateBackfillDagRun(BackfillDagRun r) {
      s.backfills.updateDagRun(r);
    }

    @Override
    public Lease acquireLease(Lease wanted, Instant now) {
      Lease held = s.leases.get(wanted.name());
      if (held != null && held.liveAt(now) && !held.token().equals(wanted.token())) return held;
      Lease next = held == null ? wanted : held.takenOverBy(wanted);
      s.leases.put(next.name(), next);
      return next;
    }

    @Override
    public boolean renewLease(
        String name, String token, Long pid, String queryIds, Instant renewedAt, Instant expires) {
      Lease l = s.leases.get(name);
      if (l == null || !l.token().equals(token)) return false;
      s.leases.put(name, l.renewed(pid, queryIds, renewedAt, expires));
      return true;
    }

    @Override
    public boolean releaseLease(String name, String token) {
      Lease l = s.leases.get(name);
      return l != null && l.token().equals(token) && s.leases.remove(name) != null;
    }

    @Override
    public Optional<Lease> lease(String name) {
      return Optional.ofNullable(s.leases.get(name));
    }

    @Override
    public List<Lease> leases() {
      return List.copyOf(s.leases.values());
    }
  }
}
