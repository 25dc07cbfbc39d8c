package io.sluice.pipelines;

import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.core.tasks.TaskTypeRegistry;
import java.util.Map;

/** Makes the task of a shipped DAG from a task type and its options, as a YAML DAG would. */
@FunctionalInterface
public interface TaskFactory {
  Task create(String type, String taskId, Map<String, Object> options);

  /** The task types on the class path (the connectors' and Spark's operators). */
  static TaskFactory fromRegistry(TaskTypeRegistry registry) {
    return (type, taskId, options) ->
        registry
            .find(type)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "task type '"
                            + type
                            + "' is not on the class path (known: "
                            + registry.names()
                            + ")"))
            .create(
                new TaskOptions() {
                  @Override
                  public String taskId() {
                    return taskId;
                  }

                  @Override
                  public Map<String, Object> all() {
                    return options;
                  }
                });
  }
}
