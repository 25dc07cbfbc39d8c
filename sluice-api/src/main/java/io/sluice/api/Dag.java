package io.sluice.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A DAG: tasks, their dependencies and how runs are scheduled. Immutable; built and validated by
 * {@link #builder(String)}.
 *
 * <pre>{@code
 * Dag.Builder b = Dag.builder("user_automation")
 *     .schedule("* * * * *")
 *     .startDate(LocalDate.of(2024, 1, 1))
 *     .catchup(false)
 *     .maxActiveRuns(1)
 *     .defaultRetries(3, Duration.ofSeconds(10));
 * var fetch = b.task("fetch", ctx -> List.of("a", "b"));
 * var count = b.task("count", fetch, (ctx, names) -> names.size());
 * Dag dag = b.build();
 * }</pre>
 */
public final class Dag {
  private final String dagId;
  private final String description;
  private final String schedule;
  private final ZoneId timezone;
  private final Instant startDate;
  private final Instant endDate;
  private final boolean catchup;
  private final int maxActiveRuns;
  private final int maxActiveTasks;
  private final Map<String, Object> params;
  private final Map<String, Param> paramSpecs;
  private final List<ParamCheck> paramChecks;
  private final List<String> tags;
  private final String source;
  private final Map<String, TaskSpec> tasks;
  private final Map<String, Set<String>> downstream;
  private final List<String> topologicalOrder;

  private Dag(Builder b, Map<String, TaskSpec> tasks) {
    this.dagId = b.dagId;
    this.description = b.description;
    this.schedule = b.schedule;
    this.timezone = b.timezone;
    this.startDate =
        b.startDate != null
            ? b.startDate
            : b.startLocalDate == null
                ? null
                : b.startLocalDate.atStartOfDay(b.timezone).toInstant();
    this.endDate =
        b.endDate != null
            ? b.endDate
            : b.endLocalDate == null ? null : b.endLocalDate.atStartOfDay(b.timezone).toInstant();
    this.catchup = b.catchup;
    this.maxActiveRuns = b.maxActiveRuns;
    this.maxActiveTasks = b.maxActiveTasks;
    Map<String, Object> defaults = new LinkedHashMap<>();
    b.params.forEach((k, p) -> defaults.put(k, p.defaultValue()));
    this.params = Collections.unmodifiableMap(defaults);
    this.paramSpecs = Collections.unmodifiableMap(new LinkedHashMap<>(b.params));
    this.paramChecks = List.copyOf(b.paramChecks);
    this.tags = List.copyOf(b.tags);
    this.source = b.source;
    this.tasks = Collections.unmodifiableMap(tasks);
    Map<String, Set<String>> down = new LinkedHashMap<>();
    for (String id : tasks.keySet()) down.put(id, new LinkedHashSet<>());
    for (TaskSpec t : tasks.values()) for (String u : t.upstream()) down.get(u).add(t.taskId());
    down.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    this.downstream = Collections.unmodifiableMap(down);
    // why: a run's evaluation walks this order on every task's end; a DAG never changes once built
    this.topologicalOrder = List.copyOf(topological(tasks));
  }

  public static Builder builder(String dagId) {
    return new Builder(dagId);
  }

  public String dagId() {
    return dagId;
  }

  public String description() {
    return description;
  }

  /** The schedule expression (cron, preset, ISO-8601 duration), or {@code null} for manual only. */
  public String schedule() {
    return schedule;
  }

  public ZoneId timezone() {
    return timezone;
  }

  public Instant startDate() {
    return startDate;
  }

  public Instant endDate() {
    return endDate;
  }

  public boolean catchup() {
    return catchup;
  }

  public int maxActiveRuns() {
    return maxActiveRuns;
  }

  public int maxActiveTasks() {
    return maxActiveTasks;
  }

  /** The params' defaults, by name (a value may be null for a required param). */
  public Map<String, Object> params() {
    return params;
  }

  /** The params with their types and constraints, in declaration order. */
  public Map<String, Param> paramSpecs() {
    return paramSpecs;
  }

  /** Checks over several params, run after each param passed its own checks. */
  public List<ParamCheck> paramChecks() {
    return paramChecks;
  }

  public List<String> tags() {
    return tags;
  }

  /** Where the DAG was defined: a YAML file path or a provider class name. */
  public String source() {
    return source;
  }

  /** Tasks in declaration order. */
  public Map<String, TaskSpec> tasks() {
    return tasks;
  }

  public TaskSpec task(String taskId) {
    TaskSpec t = tasks.get(taskId);
    if (t == null)
      throw new IllegalArgumentException("DAG '" + dagId + "' has no task '" + taskId + "'");
    return t;
  }

  public Set<String> downstream(String taskId) {
    return downstream.getOrDefault(taskId, Set.of());
  }

  /** Every task below {@code taskId}, transitively. */
  public Set<String> allDownstream(String taskId) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(downstream(taskId));
    while (!todo.isEmpty()) {
      String t = todo.pop();
      if (seen.add(t)) todo.addAll(downstream(t));
    }
    return seen;
  }

  /** Tasks with no upstream. */
  public List<String> roots() {
    return tasks.values().stream()
        .filter(t -> t.upstream().isEmpty())
        .map(TaskSpec::taskId)
        .toList();
  }

  /** Tasks in an order where each comes after its upstream tasks. */
  public List<String> topologicalOrder() {
    return topologicalOrder;
  }

  /** Builds a {@link Dag}; {@link #build()} validates it. Not thread-safe. */
  public static final class Builder {
    private final String dagId;
    private String description = "";
    private String schedule;
    private ZoneId timezone = ZoneOffset.UTC;
    private Instant startDate;
    private LocalDate startLocalDate;
    private Instant endDate;
    private LocalDate endLocalDate;
    private boolean catchup = true;
    private int maxActiveRuns = 16;
    private int maxActiveTasks = 16;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final List<ParamCheck> paramChecks = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();
    private String source = "";
    private int defaultRetries;
    private Duration defaultRetryDelay = Duration.ofMinutes(5);
    private boolean defaultExponentialBackoff;
    private Duration defaultMaxRetryDelay;
    private Duration defaultExecutionTimeout;
    private String defaultPool = TaskSpec.DEFAULT_POOL;
    private final List<TaskRef<?>> refs = new ArrayList<>();

    private Builder(String dagId) {
      if (dagId == null || !dagId.matches("[A-Za-z0-9_.\\-]+"))
        throw new DagDefinitionException(
            "invalid dag_id '" + dagId + "': use letters, digits, '_', '.' and '-'");
      this.dagId = dagId;
    }

    public Builder description(String text) {
      this.description = text;
      return this;
    }

    /** A cron expression, a preset ({@code @daily}), an ISO-8601 duration, or null (manual). */
    public Builder schedule(String expression) {
      this.schedule = expression;
      return this;
    }

    public Builder timezone(ZoneId zone) {
      this.timezone = Objects.requireNonNull(zone);
      return this;
    }

    public Builder startDate(Instant start) {
      this.startDate = start;
      this.startLocalDate = null;
      return this;
    }

    /** Midnight of {@code date} in the DAG's time zone. */
    public Builder startDate(LocalDate date) {
      this.startLocalDate = date;
      this.startDate = null;
      return this;
    }

    public Builder endDate(Instant end) {
      this.endDate = end;
      this.endLocalDate = null;
      return this;
    }

    public Builder endDate(LocalDate date) {
      this.endLocalDate = date;
      this.endDate = null;
      return this;
    }

    public Builder catchup(boolean value) {
      this.catchup = value;
      return this;
    }

    public Builder maxActiveRuns(int value) {
      if (value < 1) throw new DagDefinitionException("max_active_runs must be >= 1");
      this.maxActiveRuns = value;
      return this;
    }

    public Builder maxActiveTasks(int value) {
      if (value < 1) throw new DagDefinitionException("max_active_tasks must be >= 1");
      this.maxActiveTasks = value;
      return this;
    }

    /** An untyped param with a default; see {@link #param(Param)} for a typed one. */
    public Builder param(String name, Object defaultValue) {
      return param(Param.builder(name, Param.Type.ANY).defaultValue(defaultValue).build());
    }

    /** A typed param: a trigger's conf is checked against it before a run is created. */
    public Builder param(Param param) {
      params.put(param.name(), param);
      return this;
    }

    /** A check over several params, such as an end date not before a start date. */
    public Builder paramCheck(ParamCheck check) {
      paramChecks.add(Objects.requireNonNull(check));
      return this;
    }

    public Builder tags(String... values) {
      tags.addAll(List.of(values));
      return this;
    }

    /** Where the DAG comes from, shown in listings and errors. */
    public Builder source(String value) {
      this.source = value;
      return this;
    }

    public Builder defaultRetries(int retries, Duration delay) {
      this.defaultRetries = retries;
      this.defaultRetryDelay = delay;
      return this;
    }

    public Builder defaultRetryExponentialBackoff(Duration maxDelay) {
      this.defaultExponentialBackoff = true;
      this.defaultMaxRetryDelay = maxDelay;
      return this;
    }

    public Builder defaultExecutionTimeout(Duration timeout) {
      this.defaultExecutionTimeout = timeout;
      return this;
    }

    public Builder defaultPool(String pool) {
      this.defaultPool = pool;
      return this;
    }

    /** Adds a task from an operator instance or a lambda. */
    public TaskRef<Object> task(String taskId, Task task) {
      TaskRef<Object> ref = new TaskRef<>(taskId, Objects.requireNonNull(task));
      refs.add(ref);
      return ref;
    }

    /** Adds a TaskFlow task: its return value becomes its XCom. */
    public <O> TaskRef<O> task(String taskId, TaskFn<O> fn) {
      TaskRef<O> ref = new TaskRef<>(taskId, fn);
      refs.add(ref);
      return ref;
    }

    /**
     * Adds a TaskFlow task that receives the return value of {@code input}, typed; {@code input}
     * becomes its upstream.
     */
    public <I, O> TaskRef<O> task(String taskId, TaskRef<I> input, TaskFn1<I, O> fn) {
      String from = input.taskId;
      TaskRef<O> ref =
          new TaskRef<>(
              taskId,
              ctx -> {
                @SuppressWarnings("unchecked")
                I value = (I) ctx.xcomPull(from, Object.class).orElse(null);
                return fn.apply(ctx, value);
              });
      ref.upstream.add(from);
      refs.add(ref);
      return ref;
    }

    /** A branching task: returns the ids of the direct downstream tasks to follow. */
    public TaskRef<Branch> branch(
        String taskId, TaskFn<? extends java.util.Collection<String>> choose) {
      TaskRef<Branch> ref = new TaskRef<>(taskId, ctx -> Branch.to(choose.apply(ctx)));
      refs.add(ref);
      return ref;
    }

    /** A short-circuit task: when the condition is false, everything downstream is skipped. */
    public TaskRef<ShortCircuit> shortCircuit(String taskId, Sensor.Condition condition) {
      TaskRef<ShortCircuit> ref =
          new TaskRef<>(taskId, ctx -> new ShortCircuit(condition.test(ctx)));
      refs.add(ref);
      return ref;
    }

    /** {@code a >> b >> c}. */
    public Builder chain(TaskRef<?>... tasks) {
      for (int i = 1; i < tasks.length; i++) tasks[i].upstream.add(tasks[i - 1].taskId);
      return this;
    }

    /** Validates (duplicate ids, unknown dependencies, cycles) and builds. */
    public Dag build() {
      Map<String, TaskSpec> specs = new LinkedHashMap<>();
      List<String> problems = new ArrayList<>();
      for (TaskRef<?> r : refs) {
        if (r.taskId == null || !r.taskId.matches("[A-Za-z0-9_.\\-]+")) {
          problems.add("invalid task id '" + r.taskId + "'");
          continue;
        }
        if (specs.containsKey(r.taskId)) {
          problems.add("duplicate task id '" + r.taskId + "'");
          continue;
        }
        specs.put(
            r.taskId,
            new TaskSpec(
                r.taskId,
                r.task,
                r.upstream,
                r.retries != null ? r.retries : defaultRetries,
                r.retryDelay != null ? r.retryDelay : defaultRetryDelay,
                r.exponentialBackoff != null ? r.exponentialBackoff : defaultExponentialBackoff,
                r.maxRetryDelay != null ? r.maxRetryDelay : defaultMaxRetryDelay,
                r.executionTimeout != null ? r.executionTimeout : defaultExecutionTimeout,
                r.triggerRule,
                r.pool != null ? r.pool : defaultPool,
                r.poolSlots,
                r.priorityWeight,
                r.dependsOnPast));
      }
      for (TaskSpec t : specs.values())
        for (String u : t.upstream())
          if (!specs.containsKey(u))
            problems.add("task '" + t.taskId() + "' depends on unknown task '" + u + "'");
      if (!problems.isEmpty())
        throw new DagDefinitionException("DAG '" + dagId + "': " + String.join("; ", problems));
      // why: the constructor orders the tasks once, and fails on a cycle
      return new Dag(this, specs);
    }
  }

  private static List<String> topological(Map<String, TaskSpec> specs) {
    Map<String, Integer> indegree = new HashMap<>();
    Map<String, List<String>> down = new HashMap<>();
    for (TaskSpec t : specs.values()) {
      indegree.put(t.taskId(), t.upstream().size());
      for (String u : t.upstream()) down.computeIfAbsent(u, k -> new ArrayList<>()).add(t.taskId());
    }
    Deque<String> ready = new ArrayDeque<>();
    for (String id : specs.keySet()) if (indegree.get(id) == 0) ready.add(id);
    List<String> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      String t = ready.poll();
      order.add(t);
      for (String d : down.getOrDefault(t, List.of()))
        if (indegree.merge(d, -1, Integer::sum) == 0) ready.add(d);
    }
    if (order.size() != specs.size()) {
      throw new DagDefinitionException("cycle between tasks " + describeCycle(specs, indegree));
    }
    return order;
  }

  private static String describeCycle(Map<String, TaskSpec> specs, Map<String, Integer> indegree) {
    String start =
        indegree.entrySet().stream().filter(e -> e.getValue() > 0).findFirst().get().getKey();
    List<String> path = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    String cur = start;
    while (seen.add(cur)) {
      path.add(cur);
      String next = null;
      for (String u : specs.get(cur).upstream()) if (indegree.get(u) > 0) next = u;
      cur = next;
    }
    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(cur), path.size()));
    Collections.reverse(cycle);
    cycle.add(cycle.get(0));
    return String.join(" >> ", cycle);
  }
}
