package io.sluice.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A typed DAG param, as Airflow's {@code Param}: a type, an optional default, and a subset of JSON
 * Schema's keywords ({@code enum}, {@code minimum}, {@code maximum}, {@code minLength}, {@code
 * maxLength}, {@code pattern}). A trigger's conf is checked against every param of its DAG before
 * the run is created.
 *
 * <pre>{@code
 * Dag.builder("weather_historic")
 *     .param(Param.date("start_date").defaultValue("2024-01-01").minimum("1940-01-01").build())
 *     .param(Param.integer("limit").defaultValue(100).minimum(1).maximum(5000).build());
 * }</pre>
 *
 * <p>Dates are ISO-8601 strings ({@code 2024-01-31}); date-times are ISO-8601 instants or offset
 * date-times ({@code 2024-01-31T12:00:00Z}). For them, {@code minimum} and {@code maximum} are
 * strings in the same form.
 */
public final class Param {

  /** The types a param may have; {@link #ANY} is an untyped param with a default only. */
  public enum Type {
    ANY,
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    DATE,
    DATETIME,
    ENUM;

    /** The name used in YAML DAGs and in the API: {@code date}, {@code datetime}... */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label; JSON Schema's {@code string} with a {@code format} is handled by callers. */
    public static Type of(String label) {
      String l = label.trim().toLowerCase(Locale.ROOT);
      if (l.equals("date-time")) return DATETIME;
      for (Type t : values()) if (t.label().equals(l)) return t;
      throw new IllegalArgumentException(
          "unknown param type '"
              + label
              + "': use string, integer, number, boolean, date, datetime or enum");
    }
  }

  private final String name;
  private final Type type;
  private final Object defaultValue;
  private final boolean required;
  private final List<Object> enumValues;
  private final Object minimum;
  private final Object maximum;
  private final Integer minLength;
  private final Integer maxLength;
  private final String pattern;
  private final String description;

  private Param(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.defaultValue = b.defaultValue;
    this.required = b.required;
    this.enumValues = Collections.unmodifiableList(new ArrayList<>(b.enumValues));
    this.minimum = b.minimum;
    this.maximum = b.maximum;
    this.minLength = b.minLength;
    this.maxLength = b.maxLength;
    this.pattern = b.pattern;
    this.description = b.description;
  }

  public static Builder builder(String name, Type type) {
    return new Builder(name, type);
  }

  public static Builder string(String name) {
    return builder(name, Type.STRING);
  }

  public static Builder integer(String name) {
    return builder(name, Type.INTEGER);
  }

  public static Builder number(String name) {
    return builder(name, Type.NUMBER);
  }

  public static Builder bool(String name) {
    return builder(name, Type.BOOLEAN);
  }

  public static Builder date(String name) {
    return builder(name, Type.DATE);
  }

  public static Builder datetime(String name) {
    return builder(name, Type.DATETIME);
  }

  /** A param whose value must be one of {@code values}. */
  public static Builder oneOf(String name, Object... values) {
    return builder(name, Type.ENUM).enumValues(List.of(values));
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  /** The default, or null when there is none. */
  public Object defaultValue() {
    return defaultValue;
  }

  /** Whether a trigger must supply a value when there is no default. */
  public boolean required() {
    return required;
  }

  public List<Object> enumValues() {
    return enumValues;
  }

  public Object minimum() {
    return minimum;
  }

  public Object maximum() {
    return maximum;
  }

  public Integer minLength() {
    return minLength;
  }

  public Integer maxLength() {
    return maxLength;
  }

  public String pattern() {
    return pattern;
  }

  public String description() {
    return description;
  }

  /** This param as a JSON Schema fragment, as Airflow's API shows a param's {@code schema}. */
  public Map<String, Object> schema() {
    Map<String, Object> s = new LinkedHashMap<>();
    switch (type) {
      case DATE -> {
        s.put("type", "string");
        s.put("format", "date");
      }
      case DATETIME -> {
        s.put("type", "string");
        s.put("format", "date-time");
      }
      case ANY, ENUM -> {}
      default -> s.put("type", type.label());
    }
    if (!enumValues.isEmpty()) s.put("enum", enumValues);
    // why: JSON Schema's minimum and maximum are numeric; dates bound with the format keywords
    boolean temporal = type == Type.DATE || type == Type.DATETIME;
    if (minimum != null) s.put(temporal ? "formatMinimum" : "minimum", minimum);
    if (maximum != null) s.put(temporal ? "formatMaximum" : "maximum", maximum);
    if (minLength != null) s.put("minLength", minLength);
    if (maxLength != null) s.put("maxLength", maxLength);
    if (pattern != null) s.put("pattern", pattern);
    return s;
  }

  /** Builds a {@link Param}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final Type type;
    private Object defaultValue;
    private boolean required;
    private List<Object> enumValues = List.of();
    private Object minimum;
    private Object maximum;
    private Integer minLength;
    private Integer maxLength;
    private String pattern;
    private String description = "";

    private Builder(String name, Type type) {
      if (name == null || name.isBlank()) throw new DagDefinitionException("a param needs a name");
      this.name = name;
      this.type = Objects.requireNonNull(type);
    }

    public Builder defaultValue(Object value) {
      this.defaultValue = value;
      return this;
    }

    /** A trigger must give a value when there is no default. */
    public Builder required() {
      this.required = true;
      return this;
    }

    public Builder enumValues(List<?> values) {
      this.enumValues = List.copyOf(values);
      return this;
    }

    /** The smallest value: a number, or an ISO-8601 string for a date or date-time. */
    public Builder minimum(Object value) {
      this.minimum = value;
      return this;
    }

    /** The largest value: a number, or an ISO-8601 string for a date or date-time. */
    public Builder maximum(Object value) {
      this.maximum = value;
      return this;
    }

    public Builder minLength(int value) {
      this.minLength = value;
      return this;
    }

    public Builder maxLength(int value) {
      this.maxLength = value;
      return this;
    }

    /** A regular expression the whole string value must match. */
    public Builder pattern(String regex) {
      this.pattern = regex;
      return this;
    }

    public Builder description(String text) {
      this.description = text == null ? "" : text;
      return this;
    }

    public Param build() {
      if (type == Type.ENUM && enumValues.isEmpty())
        throw new DagDefinitionException("param '" + name + "' of type enum needs enum values");
      return new Param(this);
    }
  }
}
