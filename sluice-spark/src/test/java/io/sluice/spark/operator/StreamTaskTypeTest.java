package io.sluice.spark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.core.tasks.TaskTypeRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamTaskTypeTest {
  @Test
  void aStreamTaskIsNamedByItsTypeNotItsClass() {
    TaskOptions options =
        new TaskOptions() {
          @Override
          public String taskId() {
            return "users_stream";
          }

          @Override
          public Map<String, Object> all() {
            return Map.of("job", "users");
          }
        };
    Task task = new StreamTaskType().create(options);
    TaskTypeRegistry registry = TaskTypeRegistry.load();
    assertThat(
            registry.names().stream()
                .filter(n -> registry.find(n).orElseThrow().creates(task))
                .toList())
        .as("the types that claim a stream task")
        .containsExactly("stream");
  }
}
