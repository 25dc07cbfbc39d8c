package io.sluice.web.api.v2;

import io.sluice.api.Task;
import io.sluice.api.TaskType;
import io.sluice.core.tasks.TaskTypeRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The task-type name of a task ({@code shell}, {@code http_to_kafka}), as its YAML {@code type:}
 * says, in place of the class name of the lambda a task type returns.
 */
final class TaskTypeNames {
  private final List<TaskType> types = new ArrayList<>();

  TaskTypeNames(TaskTypeRegistry registry) {
    for (String name : registry.names()) registry.find(name).ifPresent(types::add);
  }

  String of(Task task) {
    if (task == null) return null;
    String cls = task.getClass().getName();
    for (TaskType t : types) if (t.creates(task)) return t.name();
    if (cls.contains("$$Lambda")) return "java";
    return task.getClass().getSimpleName();
  }
}
