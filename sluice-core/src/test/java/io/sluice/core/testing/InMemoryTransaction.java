package io.sluice.core.testing;

import static io.sluice.core.testing.InMemoryState.key;

import io.sluice.api.TaskState;
import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.Lease;
import io.sluice.core.model.Pool;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.XComEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An {@link InMemoryStore} transaction: task instances, pools, XComs, variables, logs, import
 * errors and backfills, on top of {@link InMemoryRuns}.
 */
final class InMemoryTransaction extends InMemoryRuns {
  InMemoryTransaction(InMemoryState s) {
    super(s);
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
    s.rendered.keySet().removeIf(k -> k.startsWith(prefix));
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
  public void putRenderedFields(RenderedFields r) {
    if (!s.tasks.containsKey(key(r.dagId(), r.runId(), r.taskId())))
      throw new IllegalStateException("no task instance " + r.taskId() + " in " + r.runId());
    // why: zero-padded so that the map orders tries by number
    String tryKey = String.format("%010d", r.tryNumber());
    s.rendered.put(key(r.dagId(), r.runId(), r.taskId(), tryKey), r);
  }

  @Override
  public List<RenderedFields> renderedFields(String dagId, String runId) {
    String prefix = key(dagId, runId);
    return s.rendered.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .map(Map.Entry::getValue)
        .toList();
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
