package io.sluice.connectors.operator;

import io.sluice.api.Connection;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOptions;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.core.config.SluiceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reading and checking operator options; rendering happens at execution, with the run's context.
 */
public final class Options {
  private Options() {}

  /**
   * An ISO-8601 duration option, or {@code fallback}; a bad value names the option and the task.
   */
  public static Duration duration(TaskOptions options, String key, Duration fallback) {
    return options
        .string(key)
        .map(
            v -> {
              try {
                return Duration.parse(v);
              } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                    "option '"
                        + key
                        + "' of task '"
                        + options.taskId()
                        + "' must be an ISO-8601 duration such as PT30S, not '"
                        + v
                        + "'");
              }
            })
        .orElse(fallback);
  }

  static int positiveInt(TaskOptions options, String key, int fallback) {
    return options
        .string(key)
        .map(
            v -> {
              try {
                int n = Integer.parseInt(v);
                if (n <= 0) throw new NumberFormatException();
                return n;
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                    "option '"
                        + key
                        + "' of task '"
                        + options.taskId()
                        + "' must be a positive integer, not '"
                        + v
                        + "'");
              }
            })
        .orElse(fallback);
  }

  static String oneOf(TaskOptions options, String key, String fallback, String... allowed) {
    String v = options.string(key).orElse(fallback);
    if (!List.of(allowed).contains(v))
      throw new IllegalArgumentException(
          "option '"
              + key
              + "' of task '"
              + options.taskId()
              + "' must be one of "
              + String.join(", ", allowed)
              + ", not '"
              + v
              + "'");
    return v;
  }

  /** One string or a list of strings under {@code key}. */
  static List<String> stringOrList(TaskOptions options, String key) {
    Object v = options.all().get(key);
    if (v == null) return List.of();
    if (v instanceof List<?>) return options.stringList(key);
    return List.of(String.valueOf(v));
  }

  /**
   * The connection {@code connId} as the run sees it, else the built-in default of that id derived
   * from the configuration.
   */
  static Connection connection(TaskContext context, String connId) {
    return context
        .connection(connId)
        .or(() -> DefaultConnections.find(SluiceConfig.load(), connId))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "connection '"
                        + connId
                        + "' is not defined; add it with `sluice connections add "
                        + connId
                        + " --uri ...`"));
  }

  /**
   * The rendered-field name of item {@code i} of an option that is one string or a list: {@code
   * name} for a single item, else {@code name[i]}.
   */
  static String field(String name, int i, List<String> items) {
    return items.size() == 1 ? name : name + "[" + i + "]";
  }

  static Map<String, Object> map(Object value, String what) {
    if (value instanceof Map<?, ?> m) {
      var out = new java.util.LinkedHashMap<String, Object>();
      m.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
    throw new IllegalArgumentException(what + " must be a mapping");
  }
}
