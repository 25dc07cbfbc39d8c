package io.sluice.core.tasks;

import io.sluice.api.TaskType;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The task types YAML DAGs may use: the built-in {@code shell}, {@code python}, {@code java} and
 * {@code noop}, plus every {@link TaskType} found with {@link ServiceLoader}.
 */
public final class TaskTypeRegistry {
  private final Map<String, TaskType> types = new TreeMap<>();

  public TaskTypeRegistry() {
    register(new ShellTaskType());
    register(new JavaTaskType());
    register(new NoopTaskType());
    register(new PythonTaskType());
  }

  /** Built-ins plus the task types on the class path. */
  public static TaskTypeRegistry load() {
    TaskTypeRegistry r = new TaskTypeRegistry();
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    for (TaskType t :
        ServiceLoader.load(
            TaskType.class, cl == null ? TaskTypeRegistry.class.getClassLoader() : cl))
      r.register(t);
    return r;
  }

  public TaskTypeRegistry register(TaskType type) {
    types.put(type.name(), type);
    return this;
  }

  public Optional<TaskType> find(String name) {
    return Optional.ofNullable(types.get(name));
  }

  public java.util.Set<String> names() {
    return types.keySet();
  }
}
