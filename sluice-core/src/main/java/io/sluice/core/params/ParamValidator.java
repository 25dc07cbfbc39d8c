package io.sluice.core.params;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.api.Dag;
import io.sluice.api.InvalidParamException;
import io.sluice.api.Param;
import io.sluice.api.ParamCheck;
import io.sluice.core.engine.XComCodec;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a trigger against its DAG's params before a run exists: the conf must be a JSON object,
 * the logical date within {@link #EARLIEST} and {@link #LATEST}, every param of its type and range
 * (a required one present), then the DAG's {@link ParamCheck}s. Every entry point that creates a
 * run (the CLI, the REST API, the UI through it) goes through {@link #validate}.
 */
public final class ParamValidator {
  /** The earliest logical date a run may have. */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest logical date a run may have: four-digit years only, as in every run id. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private ParamValidator() {}

  /**
   * Validates a trigger.
   *
   * @param confJson the run's conf (null or blank: none)
   * @param logicalDate the run's logical date, or null for now
   * @return the params the run will see: defaults overridden by the conf
   * @throws InvalidParamException naming the param at fault
   */
  public static Map<String, Object> validate(
      Dag dag, String confJson, Instant logicalDate, Instant now) {
    if (logicalDate != null && (logicalDate.isBefore(EARLIEST) || logicalDate.isAfter(LATEST)))
      throw new InvalidParamException(
          "logical_date",
          "'" + logicalDate + "' is out of range (" + EARLIEST + " to " + LATEST + ")");
    Map<String, Object> conf = parseConf(confJson);
    Map<String, Object> values = new LinkedHashMap<>(dag.params());
    values.putAll(conf);
    for (Param p : dag.paramSpecs().values()) {
      Object v = values.get(p.name());
      if (v == null) {
        if (p.required())
          throw new InvalidParamException(p.name(), "is required and has no default");
        continue;
      }
      check(p, v);
    }
    Map<String, Object> view = Collections.unmodifiableMap(values);
    for (ParamCheck c : dag.paramChecks()) c.check(view, now);
    return view;
  }

  /**
   * Checks every param's default, so that a DAG whose defaults break its own rules fails to load.
   */
  public static void checkDefaults(Dag dag) {
    for (Param p : dag.paramSpecs().values())
      if (p.defaultValue() != null) check(p, p.defaultValue());
  }

  /** The conf as a map; anything but a JSON object is refused, naming {@code conf}. */
  public static Map<String, Object> parseConf(String json) {
    if (json == null || json.isBlank()) return Map.of();
    try {
      Map<String, Object> m =
          XComCodec.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
      return m == null ? Map.of() : m;
    } catch (Exception e) {
      throw new InvalidParamException("conf", "is not a JSON object: " + firstLine(e.getMessage()));
    }
  }

  /** Checks one value against one param. */
  public static void check(Param p, Object v) {
    switch (p.type()) {
      case ANY, ENUM -> {}
      case STRING -> requireType(p, v, v instanceof String, "a string");
      case INTEGER -> requireType(p, v, isInteger(v), "an integer");
      case NUMBER -> requireType(p, v, v instanceof Number, "a number");
      case BOOLEAN -> requireType(p, v, v instanceof Boolean, "true or false");
      case DATE -> date(p, v);
      case DATETIME -> datetime(p, v);
    }
    if (!p.enumValues().isEmpty() && !inEnum(p, v))
      throw new InvalidParamException(p.name(), "'" + v + "' is not one of " + p.enumValues());
    if (v instanceof Number n) numberRange(p, n);
    if (v instanceof String s) stringRules(p, s);
  }

  private static void requireType(Param p, Object v, boolean ok, String what) {
    if (!ok) throw new InvalidParamException(p.name(), "'" + v + "' is not " + what);
  }

  private static boolean isInteger(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
      return true;
    return v instanceof Number n && new BigDecimal(n.toString()).stripTrailingZeros().scale() <= 0;
  }

  private static boolean inEnum(Param p, Object v) {
    for (Object e : p.enumValues())
      if (e.equals(v) || (e instanceof Number a && v instanceof Number b && same(a, b)))
        return true;
    return false;
  }

  private static boolean same(Number a, Number b) {
    return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
  }

  private static void numberRange(Param p, Number n) {
    BigDecimal d = new BigDecimal(n.toString());
    if (p.minimum() instanceof Number min && d.compareTo(new BigDecimal(min.toString())) < 0)
      throw new InvalidParamException(p.name(), n + " is below the minimum " + min);
    if (p.maximum() instanceof Number max && d.compareTo(new BigDecimal(max.toString())) > 0)
      throw new InvalidParamException(p.name(), n + " is above the maximum " + max);
  }

  private static void stringRules(Param p, String s) {
    if (p.minLength() != null && s.length() < p.minLength())
      throw new InvalidParamException(p.name(), "is shorter than " + p.minLength() + " characters");
    if (p.maxLength() != null && s.length() > p.maxLength())
      throw new InvalidParamException(p.name(), "is longer than " + p.maxLength() + " characters");
    if (p.pattern() != null && !Pattern.compile(p.pattern()).matcher(s).matches())
      throw new InvalidParamException(
          p.name(), "'" + s + "' does not match the pattern " + p.pattern());
  }

  private static void date(Param p, Object v) {
    LocalDate d = parseDate(p, v, "value");
    if (p.minimum() != null && d.isBefore(parseDate(p, p.minimum(), "minimum")))
      throw new InvalidParamException(p.name(), d + " is before " + p.minimum());
    if (p.maximum() != null && d.isAfter(parseDate(p, p.maximum(), "maximum")))
      throw new InvalidParamException(p.name(), d + " is after " + p.maximum());
  }

  private static void datetime(Param p, Object v) {
    Instant t = parseInstant(p, v, "value");
    if (p.minimum() != null && t.isBefore(parseInstant(p, p.minimum(), "minimum")))
      throw new InvalidParamException(p.name(), t + " is before " + p.minimum());
    if (p.maximum() != null && t.isAfter(parseInstant(p, p.maximum(), "maximum")))
      throw new InvalidParamException(p.name(), t + " is after " + p.maximum());
  }

  /** A date param's value as a {@link LocalDate}: an ISO-8601 date, {@code 2024-01-31}. */
  public static LocalDate parseDate(Param p, Object v, String what) {
    String s = String.valueOf(v).trim();
    try {
      // why: LocalDate.parse takes +99999-01-01; a run's dates keep four-digit years
      if (!s.matches("\\d{4}-\\d{2}-\\d{2}")) throw new DateTimeParseException("", s, 0);
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidParamException(p.name(), what + " '" + v + "' is not a date (yyyy-MM-dd)");
    }
  }

  private static Instant parseInstant(Param p, Object v, String what) {
    String s = String.valueOf(v).trim();
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e2) {
        throw new InvalidParamException(
            p.name(), what + " '" + v + "' is not a date-time (yyyy-MM-ddTHH:mm:ssZ)");
      }
    }
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
