package io.sluice.ingest.openmeteo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.ingest.source.JsonBodies;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an Open-Meteo answer token by token, with no JSON tree: each location's coordinates, zone,
 * units and the columns of its {@code hourly} and {@code daily} blocks go straight into arrays. An
 * answer in a shape this reader does not take on trust (an error body, invalid JSON, a field of an
 * unexpected type, a value that is not a number or null, a column shorter than its times, a name
 * given twice) is {@link Unusual}, and {@link OpenMeteoParser} reads it again as a tree, which
 * gives it its exact exception or dead letters.
 */
final class OpenMeteoStream {
  /** Leaves the whole answer to the tree reader. */
  static final class Unusual extends Exception {
    static final Unusual INSTANCE = new Unusual();

    private Unusual() {
      super(null, null, false, false);
    }
  }

  /** One location of an answer, as read. */
  static final class Location {
    Double latitude;
    Double longitude;

    /** The {@code timezone} field stripped, or null when it is absent or null. */
    String timezone;

    int utcOffsetSeconds;
    Block hourly;
    Block daily;
    Map<String, String> hourlyUnits = Map.of();
    Map<String, String> dailyUnits = Map.of();
  }

  /**
   * One {@code hourly} or {@code daily} block: its times and its columns, in the answer's order.
   */
  static final class Block {
    /** Each time as its text ({@code String}) or its Unix seconds ({@code Long}). */
    final List<Object> times = new ArrayList<>();

    /** Each variable's values, a missing measurement as null, at least one per time. */
    final Map<String, List<Double>> columns = new LinkedHashMap<>();
  }

  private OpenMeteoStream() {}

  /** The locations of {@code body}: one for an object, one per element of an array. */
  static List<Location> read(byte[] body) throws Unusual {
    try (JsonParser p = JsonBodies.mapper().getFactory().createParser(body)) {
      List<Location> locations = new ArrayList<>();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) locations.add(location(p));
      else if (t == JsonToken.START_ARRAY) {
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) locations.add(location(p));
        if (t != JsonToken.END_ARRAY) throw Unusual.INSTANCE;
      } else throw Unusual.INSTANCE;
      if (p.nextToken() != null) throw Unusual.INSTANCE;
      return locations;
    } catch (IOException e) {
      // why: the tree reader gives invalid JSON its exact exception
      throw Unusual.INSTANCE;
    }
  }

  /** One location object, from its first field to its end. */
  private static Location location(JsonParser p) throws IOException, Unusual {
    var l = new Location();
    var seen = new ArrayList<String>(12);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (seen.contains(name)) throw Unusual.INSTANCE;
      seen.add(name);
      switch (name) {
        case "error" -> throw Unusual.INSTANCE;
        case "latitude" -> l.latitude = number(p, t);
        case "longitude" -> l.longitude = number(p, t);
        case "timezone" -> l.timezone = t == JsonToken.VALUE_NULL ? null : text(p, t).strip();
        case "utc_offset_seconds" -> l.utcOffsetSeconds = offset(p, t);
        case "hourly" -> l.hourly = block(p, t);
        case "daily" -> l.daily = block(p, t);
        case "hourly_units" -> l.hourlyUnits = units(p, t);
        case "daily_units" -> l.dailyUnits = units(p, t);
        default -> p.skipChildren();
      }
    }
    if (l.latitude == null || l.longitude == null) throw Unusual.INSTANCE;
    return l;
  }

  private static Block block(JsonParser p, JsonToken t) throws IOException, Unusual {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t != JsonToken.START_OBJECT) throw Unusual.INSTANCE;
    var b = new Block();
    boolean timed = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() != JsonToken.START_ARRAY) throw Unusual.INSTANCE;
      if (name.equals("time")) {
        if (timed) throw Unusual.INSTANCE;
        timed = true;
        times(p, b.times);
      } else if (b.columns.putIfAbsent(name, column(p)) != null) throw Unusual.INSTANCE;
    }
    if (!timed) throw Unusual.INSTANCE;
    for (List<Double> c : b.columns.values()) if (c.size() < b.times.size()) throw Unusual.INSTANCE;
    return b;
  }

  private static void times(JsonParser p, List<Object> times) throws IOException, Unusual {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_STRING) times.add(p.getText());
      else if (t == JsonToken.VALUE_NUMBER_INT
          && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) times.add(p.getLongValue());
      else throw Unusual.INSTANCE;
    }
  }

  private static List<Double> column(JsonParser p) throws IOException, Unusual {
    List<Double> values = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_NULL) values.add(null);
      else values.add(number(p, t));
    }
    return values;
  }

  private static Map<String, String> units(JsonParser p, JsonToken t) throws IOException, Unusual {
    if (t == JsonToken.VALUE_NULL) return Map.of();
    if (t != JsonToken.START_OBJECT) throw Unusual.INSTANCE;
    Map<String, String> units = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      // why: the tree reader takes a null unit as no unit
      String unit = v == JsonToken.VALUE_NULL ? "" : text(p, v);
      if (units.put(name, unit) != null) throw Unusual.INSTANCE;
    }
    return units;
  }

  private static double number(JsonParser p, JsonToken t) throws IOException, Unusual {
    if (t == JsonToken.VALUE_NUMBER_FLOAT) return p.getDoubleValue();
    // why: a tree's big integer is a double through BigInteger, as getDoubleValue gives too
    if (t == JsonToken.VALUE_NUMBER_INT) return p.getDoubleValue();
    throw Unusual.INSTANCE;
  }

  private static String text(JsonParser p, JsonToken t) throws IOException, Unusual {
    if (t != JsonToken.VALUE_STRING) throw Unusual.INSTANCE;
    return p.getText();
  }

  private static int offset(JsonParser p, JsonToken t) throws IOException, Unusual {
    if (t == JsonToken.VALUE_NULL) return 0;
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT)
      throw Unusual.INSTANCE;
    return p.getIntValue();
  }
}
