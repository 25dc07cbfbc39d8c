package io.sluice.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one schema of a request body: its fields, each with a type (never coerced: {@code true} is
 * not a string, {@code "1"} is not an integer), a length or range, an optional pattern or enum, and
 * whether it is required. Unknown fields are refused. {@link #read} parses the body strictly
 * (trailing data refused) and answers every refusal as a 400 {@link ApiException} naming the field.
 *
 * {@snippet :
 * static final BodySchema VARIABLE =
 *     BodySchema.of(
 *         BodySchema.string("key", 250).pattern(KEY, "letters, digits or _ . -").required(),
 *         BodySchema.string("description", 1000));
 * BodySchema.Body b = VARIABLE.read(ctx);
 * }
 */
public final class BodySchema {
  /** The earliest date-time any request may name, and the first it may not (years 1 to 9999). */
  public static final Instant MIN_DATE = Instant.parse("0001-01-01T00:00:00Z");

  public static final Instant MAX_DATE = Instant.parse("+10000-01-01T00:00:00Z");

  private enum Type {
    STRING,
    INTEGER,
    BOOLEAN,
    OBJECT,
    STRING_LIST,
    DATE_TIME,
    ANY
  }

  /** One field of a body; built by the static factories, refined by the copying methods. */
  public record Field(
      String name,
      Type type,
      boolean mandatory,
      long min,
      long max,
      Pattern pattern,
      String patternHelp,
      Set<String> values) {
    public Field required() {
      return new Field(name, type, true, min, max, pattern, patternHelp, values);
    }

    /** Strings (or each string of a list) must match {@code regex}; {@code help} says how. */
    public Field pattern(String regex, String help) {
      return new Field(name, type, mandatory, min, max, Pattern.compile(regex), help, values);
    }

    /** A string that must be one of {@code allowed}. */
    public Field oneOf(String... allowed) {
      return new Field(name, type, mandatory, min, max, pattern, patternHelp, Set.of(allowed));
    }
  }

  /** A name (DAG, task, key, pool, connection id): 1 to 250 letters, digits or _ . - */
  public static final String NAME = "[A-Za-z0-9_.\\-]{1,250}";

  public static final String NAME_HELP = "1 to 250 letters, digits or _ . -";

  private final Map<String, Field> fields = new LinkedHashMap<>();
  private final int status;

  private BodySchema(int status, Field... fields) {
    for (Field f : fields) this.fields.put(f.name(), f);
    this.status = status;
  }

  /** A schema whose refusals are 400s. */
  public static BodySchema of(Field... fields) {
    return new BodySchema(400, fields);
  }

  /** The same schema answering its refusals with {@code status} (Airflow 3's API uses 422). */
  public BodySchema refusingWith(int status) {
    return new BodySchema(status, fields.values().toArray(Field[]::new));
  }

  /** A string of at most {@code maxLength} characters. */
  public static Field string(String name, int maxLength) {
    return new Field(name, Type.STRING, false, 0, maxLength, null, null, null);
  }

  public static Field integer(String name, long min, long max) {
    return new Field(name, Type.INTEGER, false, min, max, null, null, null);
  }

  public static Field bool(String name) {
    return new Field(name, Type.BOOLEAN, false, 0, 0, null, null, null);
  }

  /** A JSON object of at most {@code maxBytes} bytes once written. */
  public static Field object(String name, int maxBytes) {
    return new Field(name, Type.OBJECT, false, 0, maxBytes, null, null, null);
  }

  /** A list of at most {@code maxItems} strings of at most {@code maxLength} characters each. */
  public static Field strings(String name, int maxItems, int maxLength) {
    return new Field(name, Type.STRING_LIST, false, maxItems, maxLength, null, null, null);
  }

  /** An ISO-8601 date-time or date (midnight UTC) between {@link #MIN_DATE} and MAX_DATE. */
  public static Field dateTime(String name) {
    return new Field(name, Type.DATE_TIME, false, 0, 0, null, null, null);
  }

  /** Any JSON value of at most {@code maxBytes} bytes once written. */
  public static Field any(String name, int maxBytes) {
    return new Field(name, Type.ANY, false, 0, maxBytes, null, null, null);
  }

  /** The request's body, parsed and validated; an empty body is an empty object. */
  public Body read(Context ctx) {
    return validate(Json.body(ctx));
  }

  /** Validates a parsed body; throws a 400 (or this schema's status) naming the field at fault. */
  public Body validate(ObjectNode body) {
    try {
      return check(body);
    } catch (ApiException e) {
      if (e.status() == status) throw e;
      throw new ApiException(status, e.getMessage());
    }
  }

  private Body check(ObjectNode body) {
    body.fieldNames()
        .forEachRemaining(
            n -> {
              if (!fields.containsKey(n))
                throw ApiException.badRequest(
                    "unknown field '" + n + "'; expected one of " + fields.keySet());
            });
    for (Field f : fields.values()) {
      JsonNode v = body.get(f.name());
      if (v == null || v.isNull()) {
        if (f.mandatory()) throw ApiException.badRequest("'" + f.name() + "' is required");
        continue;
      }
      check(f, v);
    }
    return new Body(body);
  }

  private static void check(Field f, JsonNode v) {
    switch (f.type()) {
      case STRING -> checkString(f, v, "'" + f.name() + "'");
      case INTEGER -> {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw bad(f, "must be an integer");
        if (v.asLong() < f.min() || v.asLong() > f.max())
          throw bad(f, "must be between " + f.min() + " and " + f.max());
      }
      case BOOLEAN -> {
        if (!v.isBoolean()) throw bad(f, "must be true or false");
      }
      case OBJECT -> {
        if (!v.isObject()) throw bad(f, "must be a JSON object");
        checkSize(f, v);
      }
      case STRING_LIST -> {
        if (!v.isArray()) throw bad(f, "must be a list of strings");
        if (v.size() > f.min()) throw bad(f, "may have at most " + f.min() + " items");
        for (int i = 0; i < v.size(); i++)
          checkString(f, v.get(i), "'" + f.name() + "[" + i + "]'");
      }
      case DATE_TIME -> {
        if (!v.isTextual()) throw bad(f, "must be an ISO-8601 date or date-time string");
        instant(v.asText(), f.name());
      }
      case ANY -> checkSize(f, v);
    }
  }

  private static void checkString(Field f, JsonNode v, String what) {
    if (!v.isTextual()) throw ApiException.badRequest(what + " must be a string");
    String s = v.asText();
    if (s.length() > f.max())
      throw ApiException.badRequest(what + " may have at most " + f.max() + " characters");
    if (f.pattern() != null && !f.pattern().matcher(s).matches())
      throw ApiException.badRequest(what + " must be " + f.patternHelp());
    if (f.values() != null && !f.values().contains(s))
      throw ApiException.badRequest(what + " must be one of " + sorted(f.values()));
    if (s.indexOf('\u0000') >= 0)
      throw ApiException.badRequest(what + " may not contain a NUL character");
  }

  private static void checkSize(Field f, JsonNode v) {
    if (Json.write(v).length() > f.max())
      throw bad(f, "may have at most " + f.max() + " characters as JSON");
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
  }

  private static ApiException bad(Field f, String what) {
    return ApiException.badRequest("'" + f.name() + "' " + what);
  }

  /**
   * Parses an ISO-8601 instant, offset date-time or date (midnight UTC) within {@link #MIN_DATE}
   * and {@link #MAX_DATE}; throws a 400 naming {@code field}.
   */
  public static Instant instant(String s, String field) {
    Instant t;
    try {
      t = OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        t = LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw ApiException.badRequest("'" + field + "' must be an ISO-8601 date or date-time");
      }
    }
    if (t.isBefore(MIN_DATE) || !t.isBefore(MAX_DATE))
      throw ApiException.badRequest(
          "'" + field + "' must be between " + MIN_DATE + " and " + MAX_DATE);
    return t;
  }

  /** A validated body: typed getters, null for an absent optional field. */
  public record Body(ObjectNode json) {
    public boolean has(String name) {
      JsonNode v = json.get(name);
      return v != null && !v.isNull();
    }

    public String string(String name) {
      return has(name) ? json.get(name).asText() : null;
    }

    public Long integer(String name) {
      return has(name) ? json.get(name).asLong() : null;
    }

    public boolean bool(String name, boolean dflt) {
      return has(name) ? json.get(name).asBoolean() : dflt;
    }

    public JsonNode node(String name) {
      return has(name) ? json.get(name) : null;
    }

    public Instant instant(String name) {
      return has(name) ? BodySchema.instant(json.get(name).asText(), name) : null;
    }

    /** A list field, or null when absent. */
    public List<String> strings(String name) {
      if (!has(name)) return null;
      List<String> out = new ArrayList<>();
      json.get(name).forEach(n -> out.add(n.asText()));
      return out;
    }
  }

  @Override
  public String toString() {
    return "BodySchema" + Arrays.toString(fields.keySet().toArray());
  }
}
