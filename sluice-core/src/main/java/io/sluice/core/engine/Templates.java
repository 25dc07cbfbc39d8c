package io.sluice.core.engine;

import io.sluice.api.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code {{ name.path }}} placeholders in task arguments, Airflow-style: {@code ds}, {@code
 * ds_nodash}, {@code ts}, {@code logical_date}, {@code data_interval_start}, {@code
 * data_interval_end}, {@code run_id}, {@code dag_id}, {@code task_id}, {@code params.x}, {@code
 * dag_run.conf.x}, {@code var.value.x}, {@code var.json.x.field}, {@code conn.id.host}. Only
 * lookups, no expressions; an unknown name fails the task with a message naming it.
 */
public final class Templates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");

  /** A lazily resolved namespace (variables, connections). */
  @FunctionalInterface
  public interface Lookup extends Function<String, Object> {}

  private Templates() {}

  public static String render(String template, Map<String, Object> context) {
    if (template == null || !template.contains("{{")) return template;
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object v = resolve(m.group(1), context);
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : String.valueOf(v)));
    }
    m.appendTail(out);
    return out.toString();
  }

  static Object resolve(String expression, Map<String, Object> context) {
    String[] parts = expression.trim().split("\\.");
    Object cur = context;
    StringBuilder path = new StringBuilder();
    for (String p : parts) {
      path.append(path.length() == 0 ? "" : ".").append(p);
      cur = step(cur, p);
      if (cur == Missing.INSTANCE)
        throw new IllegalArgumentException(
            "template variable '" + path + "' is undefined (in {{ " + expression + " }})");
    }
    return cur;
  }

  private enum Missing {
    INSTANCE
  }

  private static Object step(Object cur, String key) {
    if (cur instanceof Map<?, ?> m) return m.containsKey(key) ? m.get(key) : Missing.INSTANCE;
    if (cur instanceof Lookup l) {
      Object v = l.apply(key);
      return v == null ? Missing.INSTANCE : v;
    }
    if (cur instanceof List<?> l && key.matches("\\d+")) {
      int i = Integer.parseInt(key);
      return i < l.size() ? l.get(i) : Missing.INSTANCE;
    }
    if (cur instanceof Connection c) {
      return switch (key) {
        case "host" -> c.host();
        case "port" -> c.port();
        case "login" -> c.login();
        case "password" -> c.password();
        case "schema" -> c.schema();
        case "conn_type", "type" -> c.type();
        case "conn_id" -> c.connId();
        case "extra_dejson", "extra" -> c.extra();
        default -> Missing.INSTANCE;
      };
    }
    return Missing.INSTANCE;
  }
}
