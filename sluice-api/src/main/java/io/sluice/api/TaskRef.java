package io.sluice.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A task being declared in a {@link Dag.Builder}: set its options and wire its dependencies. The
 * type parameter is the type of its return value, so that a downstream TaskFlow task receives it
 * typed.
 *
 * <pre>{@code
 * var extract = dag.task("extract", ctx -> fetch());           // TaskRef<List<String>>
 * var load = dag.task("load", extract, (ctx, rows) -> rows.size());
 * extract.then(load);                                             // extract >> load
 * start.then(a, b).then(end);                                     // start >> [a, b] >> end
 * }</pre>
 */
public final class TaskRef<T> {
  final String taskId;
  final Task task;
  final Set<String> upstream = new LinkedHashSet<>();
  Integer retries;
  Duration retryDelay;
  Boolean exponentialBackoff;
  Duration maxRetryDelay;
  Duration executionTimeout;
  TriggerRule triggerRule = TriggerRule.ALL_SUCCESS;
  String pool;
  int poolSlots = 1;
  int priorityWeight = 1;
  boolean dependsOnPast;

  TaskRef(String taskId, Task task) {
    this.taskId = taskId;
    this.task = task;
  }

  public String taskId() {
    return taskId;
  }

  /** {@code this >> next}; returns {@code next} so chains read left to right. */
  public <N> TaskRef<N> then(TaskRef<N> next) {
    next.upstream.add(taskId);
    return next;
  }

  /** {@code this >> [a, b, ...]}. */
  public Group then(TaskRef<?> first, TaskRef<?>... more) {
    Group g = Group.of(first, more);
    for (TaskRef<?> t : g.tasks) t.upstream.add(taskId);
    return g;
  }

  /** {@code this.set_upstream(...)}: this task runs after the given ones. */
  public TaskRef<T> after(TaskRef<?>... upstreamTasks) {
    for (TaskRef<?> t : upstreamTasks) upstream.add(t.taskId);
    return this;
  }

  /** Declares an upstream task by id (used by YAML DAGs, validated at build). */
  public TaskRef<T> after(String upstreamTaskId) {
    upstream.add(upstreamTaskId);
    return this;
  }

  public TaskRef<T> retries(int count) {
    this.retries = count;
    return this;
  }

  public TaskRef<T> retries(int count, Duration delay) {
    this.retries = count;
    this.retryDelay = delay;
    return this;
  }

  public TaskRef<T> retryExponentialBackoff(Duration maxDelay) {
    this.exponentialBackoff = true;
    this.maxRetryDelay = maxDelay;
    return this;
  }

  public TaskRef<T> executionTimeout(Duration timeout) {
    this.executionTimeout = timeout;
    return this;
  }

  public TaskRef<T> triggerRule(TriggerRule rule) {
    this.triggerRule = rule;
    return this;
  }

  public TaskRef<T> pool(String name, int slots) {
    this.pool = name;
    this.poolSlots = slots;
    return this;
  }

  public TaskRef<T> pool(String name) {
    return pool(name, 1);
  }

  public TaskRef<T> priorityWeight(int weight) {
    this.priorityWeight = weight;
    return this;
  }

  public TaskRef<T> dependsOnPast(boolean value) {
    this.dependsOnPast = value;
    return this;
  }

  /** Several tasks used together on one side of a dependency ({@code [a, b]}). */
  public static final class Group {
    final List<TaskRef<?>> tasks;

    private Group(List<TaskRef<?>> tasks) {
      this.tasks = tasks;
    }

    public static Group of(TaskRef<?> first, TaskRef<?>... more) {
      var all = new java.util.ArrayList<TaskRef<?>>();
      all.add(first);
      all.addAll(Arrays.asList(more));
      return new Group(List.copyOf(all));
    }

    /** {@code [a, b] >> next}. */
    public <N> TaskRef<N> then(TaskRef<N> next) {
      for (TaskRef<?> t : tasks) next.upstream.add(t.taskId);
      return next;
    }
  }
}
