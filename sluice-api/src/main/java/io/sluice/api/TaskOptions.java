package io.sluice.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The options of a task in a YAML DAG file, other than the scheduling keys. */
public interface TaskOptions {
  String taskId();

  /** The folder of the DAG file that declares the task; empty when it was not read from a file. */
  default Optional<java.nio.file.Path> dagFolder() {
    return Optional.empty();
  }

  /** All options as parsed from YAML (strings, numbers, booleans, lists, maps). */
  Map<String, Object> all();

  default Optional<String> string(String key) {
    Object v = all().get(key);
    return v == null ? Optional.empty() : Optional.of(String.valueOf(v));
  }

  default String required(String key) {
    return string(key)
        .orElseThrow(
            () ->
                new IllegalArgumentException("task '" + taskId() + "' needs option '" + key + "'"));
  }

  @SuppressWarnings("unchecked")
  default Map<String, String> stringMap(String key) {
    Object v = all().get(key);
    if (v == null) return Map.of();
    if (!(v instanceof Map<?, ?> m))
      throw new IllegalArgumentException(
          "option '" + key + "' of task '" + taskId() + "' must be a mapping");
    var out = new java.util.LinkedHashMap<String, String>();
    m.forEach((k, val) -> out.put(String.valueOf(k), val == null ? "" : String.valueOf(val)));
    return out;
  }

  default List<String> stringList(String key) {
    Object v = all().get(key);
    if (v == null) return List.of();
    if (!(v instanceof List<?> l))
      throw new IllegalArgumentException(
          "option '" + key + "' of task '" + taskId() + "' must be a list");
    return l.stream().map(String::valueOf).toList();
  }
}
