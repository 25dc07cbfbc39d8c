package io.sluice.core.params;

import io.sluice.api.Param;
import java.util.List;
import java.util.Map;

/**
 * Reads a param declared in a YAML DAG. A plain value is an untyped param with that default; a
 * mapping with a {@code type} is a typed param, in JSON Schema's words:
 *
 * <pre>{@code
 * params:
 *   limit: 100                                # untyped, default 100
 *   start_date: {type: date, default: "2024-01-01", minimum: "1940-01-01"}
 *   mode: {type: enum, enum: [fast, full], default: fast}
 *   name: {type: string, required: true, pattern: "[a-z]+", maxLength: 20}
 * }</pre>
 *
 * <p>{@code type: string} with {@code format: date} or {@code format: date-time} is a date or
 * date-time param; {@code min_length} and {@code max_length} are accepted for {@code minLength} and
 * {@code maxLength}.
 */
public final class ParamSpecs {
  private static final List<String> KEYS =
      List.of(
          "type",
          "format",
          "default",
          "required",
          "enum",
          "minimum",
          "maximum",
          "minLength",
          "min_length",
          "maxLength",
          "max_length",
          "pattern",
          "description");

  private ParamSpecs() {}

  /**
   * The param {@code name} declared as {@code value}.
   *
   * @throws IllegalArgumentException on an unknown key, type or malformed value, naming the param
   */
  public static Param fromYaml(String name, Object value) {
    if (!(value instanceof Map<?, ?> m) || !m.containsKey("type"))
      return Param.builder(name, Param.Type.ANY).defaultValue(value).build();
    for (Object k : m.keySet())
      if (!KEYS.contains(String.valueOf(k)))
        throw new IllegalArgumentException(
            "param '"
                + name
                + "': unknown key '"
                + k
                + "' (known: "
                + String.join(", ", KEYS)
                + ")");
    Param.Builder b = Param.builder(name, type(name, m));
    if (m.containsKey("default")) b.defaultValue(m.get("default"));
    if (Boolean.TRUE.equals(m.get("required"))) b.required();
    if (m.get("enum") instanceof List<?> l) b.enumValues(l);
    else if (m.containsKey("enum"))
      throw new IllegalArgumentException("param '" + name + "': enum must be a list");
    if (m.containsKey("minimum")) b.minimum(m.get("minimum"));
    if (m.containsKey("maximum")) b.maximum(m.get("maximum"));
    Integer minLength = integer(name, m, "minLength", "min_length");
    if (minLength != null) b.minLength(minLength);
    Integer maxLength = integer(name, m, "maxLength", "max_length");
    if (maxLength != null) b.maxLength(maxLength);
    if (m.containsKey("pattern")) b.pattern(String.valueOf(m.get("pattern")));
    if (m.containsKey("description")) b.description(String.valueOf(m.get("description")));
    Param p = b.build();
    if (p.defaultValue() != null) ParamValidator.check(p, p.defaultValue());
    return p;
  }

  private static Param.Type type(String name, Map<?, ?> m) {
    String type = String.valueOf(m.get("type"));
    Object format = m.get("format");
    try {
      if (type.equals("string") && format != null) return Param.Type.of(String.valueOf(format));
      return Param.Type.of(type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("param '" + name + "': " + e.getMessage(), e);
    }
  }

  private static Integer integer(String name, Map<?, ?> m, String key, String alias) {
    Object v = m.containsKey(key) ? m.get(key) : m.get(alias);
    if (v == null) return null;
    if (v instanceof Integer i && i >= 0) return i;
    throw new IllegalArgumentException(
        "param '" + name + "': " + key + " must be a non-negative integer");
  }
}
