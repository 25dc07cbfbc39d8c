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
 * dag_run.conf.x}, {@code var.value.x}, {@code var.json.x.field}, {@code conn.id.host}, {@code
 * ti.xcom_pull('task')}, {@code ti.xcom_pull(task_ids='t', key='k')}, {@code ti.xcom_push(key='k',
 * value='v')}. Lookups, subscripts and method calls with literal arguments (see {@link
 * TemplateExpression}), no other expressions; an unknown name fails the task with a message naming
 * it. Maps and lists render as JSON.
 */
public final class Templates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");

  /** A lazily resolved namespace (variables, connections). */
  @FunctionalInterface
  public interface Lookup extends Function<String, Object> {}

  /**
   * A method a template may call, such as {@code ti.xcom_pull}: positional and keyword arguments
   * in, a value out. Called on the task's thread while its arguments are rendered; an exception
   * fails the try.
   */
  @FunctionalInterface
  public interface Method {
    Object call(List<Object> args, Map<String, Object> kwargs);
  }

  private Templates() {}

  public static String render(String template, Map<String, Object> context) {
    if (template == null || !template.contains("{{")) return template;
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Object v = resolve(m.group(1), context);
      m.appendReplacement(out, Matcher.quoteReplacement(text(v)));
    }
    m.appendTail(out);
    return out.toString();
  }

  static Object resolve(String expression, Map<String, Object> context) {
    return TemplateExpression.evaluate(expression, context);
  }

  private static String text(Object v) {
    if (v == null) return "";
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      try {
        return XComCodec.mapper().writeValueAsString(v);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException("cannot render " + v + " as JSON: " + e.getMessage());
      }
    }
    return String.valueOf(v);
  }

  /** What {@link #step} returns for a name that is not there. */
  static final Object MISSING = new Object();

  static Object step(Object cur, String key) {
    if (cur instanceof Map<?, ?> m) return m.containsKey(key) ? m.get(key) : MISSING;
    if (cur instanceof Lookup l) {
      Object v = l.apply(key);
      return v == null ? MISSING : v;
    }
    if (cur instanceof List<?> l && key.matches("\\d+")) {
      int i = Integer.parseInt(key);
      return i < l.size() ? l.get(i) : MISSING;
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
        default -> MISSING;
      };
    }
    return MISSING;
  }
}
