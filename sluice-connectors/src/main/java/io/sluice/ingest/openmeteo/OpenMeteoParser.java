package io.sluice.ingest.openmeteo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ingest.record.Locations;
import io.sluice.ingest.source.JsonBodies;
import io.sluice.ingest.source.SourceErrorException;
import io.sluice.ingest.source.SourceException;
import io.sluice.records.IsoInstants;
import io.sluice.records.RecordType;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Decodes Open-Meteo answers: one object or an array of them (several locations), units per
 * variable, null values, local times in any IANA zone (including {@code Etc/GMT+9}) or Unix times.
 * Hourly times become UTC instants; daily dates stay the local dates Open-Meteo gives. Each row
 * becomes a record of the hourly or daily weather schema, built by field name.
 */
public final class OpenMeteoParser {
  /** The {@code source} of every weather record. */
  public static final String SOURCE = "open-meteo";

  private final String runId;
  private final List<double[]> requested;

  /**
   * @param requested the coordinates asked for, in request order; records carry these rather than
   *     the grid point Open-Meteo snaps to, so that keys match what the user asked
   */
  public OpenMeteoParser(String runId, List<double[]> requested) {
    this.runId = runId;
    this.requested = List.copyOf(requested);
  }

  /**
   * @throws io.sluice.ingest.source.TransientSourceException not valid JSON (retry)
   * @throws SourceErrorException an error body
   * @throws SourceException JSON that is not an Open-Meteo answer
   */
  public ParsedWeather parse(byte[] body, Instant fetchedAt) {
    try {
      return rows(OpenMeteoStream.read(body), fetchedAt);
    } catch (OpenMeteoStream.Unusual | InvalidRow | DateTimeException | ArithmeticException e) {
      // why: the tree reader gives odd answers their exact exception and bad rows their dead letter
      return parseTree(body, fetchedAt);
    }
  }

  /**
   * The records of an answer read by {@link OpenMeteoStream}; a bad row is an {@link InvalidRow}.
   */
  private ParsedWeather rows(List<OpenMeteoStream.Location> locations, Instant fetchedAt) {
    var hourly = new ArrayList<ParsedWeather.Keyed>();
    var daily = new ArrayList<ParsedWeather.Keyed>();
    for (int i = 0; i < locations.size(); i++) {
      OpenMeteoStream.Location loc = locations.get(i);
      Place at =
          place(
              i, locations.size(), loc.latitude, loc.longitude, loc.timezone, loc.utcOffsetSeconds);
      OpenMeteoStream.Block h = loc.hourly;
      if (h != null) {
        var rows =
            rows(
                RecordType.HOURLY_WEATHER, at, fetchedAt, h.columns.keySet(), loc.hourlyUnits::get);
        Instant previous = null;
        for (int t = 0; t < h.times.size(); t++) {
          Object time = h.times.get(t);
          Instant hour =
              time instanceof Long unix
                  ? Instant.ofEpochSecond(unix)
                  : WeatherTimes.instant((String) time, at.zone(), previous);
          previous = hour;
          hourly.add(
              new ParsedWeather.Keyed(
                  at.location() + "," + key(hour), rows.hour(hour, values(h, t))));
        }
      }
      OpenMeteoStream.Block d = loc.daily;
      if (d != null) {
        var rows =
            rows(RecordType.DAILY_WEATHER, at, fetchedAt, d.columns.keySet(), loc.dailyUnits::get);
        for (int t = 0; t < d.times.size(); t++) {
          Object time = d.times.get(t);
          LocalDate date =
              time instanceof Long unix
                  ? WeatherTimes.date(unix, at.zone())
                  : WeatherTimes.date((String) time);
          daily.add(
              new ParsedWeather.Keyed(at.location() + "," + date, rows.day(date, values(d, t))));
        }
      }
    }
    return new ParsedWeather(hourly, daily, List.of(), fetchedAt);
  }

  private static Map<String, Double> values(OpenMeteoStream.Block b, int index) {
    Map<String, Double> values = WeatherRows.newValues(b.columns.size());
    for (var e : b.columns.entrySet()) values.put(e.getKey(), e.getValue().get(index));
    return values;
  }

  /** The key's text of an hour: {@link Instant#toString()}. */
  private static String key(Instant time) {
    return time.getNano() == 0 ? IsoInstants.format(time.toEpochMilli()) : time.toString();
  }

  /** Where the rows of one location are: its key text, coordinates and zone. */
  private record Place(String location, double lat, double lon, String tz, ZoneId zone) {}

  /**
   * The place of the {@code index}-th of {@code count} locations: the coordinates asked for when
   * the answer has one location per request, the zone named, else its offset, else GMT.
   */
  private Place place(int index, int count, double lat, double lon, String tz, int offset) {
    if (requested.size() == count) {
      lat = requested.get(index)[0];
      lon = requested.get(index)[1];
    }
    String name = tz != null ? tz : "GMT";
    return new Place(Locations.format(lat, lon), lat, lon, name, WeatherTimes.zone(name, offset));
  }

  /** The rows of one block, with each variable's unit ({@code ""} for none). */
  private WeatherRows rows(
      RecordType type,
      Place at,
      Instant fetchedAt,
      Iterable<String> variables,
      Function<String, String> unit) {
    Map<String, String> units = new LinkedHashMap<>();
    for (String v : variables) {
      String u = unit.apply(v);
      units.put(v, u == null ? "" : u);
    }
    return new WeatherRows(
        type, runId, at.location(), at.lat(), at.lon(), at.tz(), fetchedAt, units);
  }

  /** {@link #parse} through a JSON tree of the whole answer. */
  ParsedWeather parseTree(byte[] body, Instant fetchedAt) {
    JsonNode root = JsonBodies.parse(SOURCE, body);
    List<JsonNode> locations = new ArrayList<>();
    if (root.isArray()) root.forEach(locations::add);
    else locations.add(root);
    for (JsonNode loc : locations) {
      var reason = JsonBodies.errorReason(loc);
      if (reason.isPresent()) throw new SourceErrorException(SOURCE, 200, reason.get());
      if (!loc.isObject() || !loc.has("latitude") || !loc.has("longitude"))
        throw new SourceException(SOURCE + ": answer is not a forecast: " + snippet(loc));
    }
    var hourly = new ArrayList<ParsedWeather.Keyed>();
    var daily = new ArrayList<ParsedWeather.Keyed>();
    var invalid = new ArrayList<ParsedWeather.Invalid>();
    for (int i = 0; i < locations.size(); i++) {
      JsonNode loc = locations.get(i);
      Place at =
          place(
              i,
              locations.size(),
              loc.get("latitude").asDouble(),
              loc.get("longitude").asDouble(),
              loc.hasNonNull("timezone") ? loc.get("timezone").asText().strip() : null,
              loc.path("utc_offset_seconds").asInt(0));
      String location = at.location();
      Section h = section(loc.get("hourly"), loc.path("hourly_units"));
      if (h != null) {
        var rows = rows(RecordType.HOURLY_WEATHER, at, fetchedAt, h.arrays.keySet(), h.units::get);
        Instant previous = null;
        for (int t = 0; t < h.times.size(); t++) {
          JsonNode timeNode = h.times.get(t);
          try {
            Instant time = instant(timeNode, at.zone(), previous);
            previous = time;
            hourly.add(
                new ParsedWeather.Keyed(location + "," + time, rows.hour(time, values(h, t))));
          } catch (InvalidRow e) {
            invalid.add(
                new ParsedWeather.Invalid(e.getMessage(), raw(location, "time", timeNode, h, t)));
          }
        }
      }
      Section d = section(loc.get("daily"), loc.path("daily_units"));
      if (d != null) {
        var rows = rows(RecordType.DAILY_WEATHER, at, fetchedAt, d.arrays.keySet(), d.units::get);
        for (int t = 0; t < d.times.size(); t++) {
          JsonNode timeNode = d.times.get(t);
          try {
            LocalDate date = date(timeNode, at.zone());
            daily.add(new ParsedWeather.Keyed(location + "," + date, rows.day(date, values(d, t))));
          } catch (InvalidRow e) {
            invalid.add(
                new ParsedWeather.Invalid(e.getMessage(), raw(location, "date", timeNode, d, t)));
          }
        }
      }
    }
    return new ParsedWeather(hourly, daily, invalid, fetchedAt);
  }

  /** The arrays of one block ({@code hourly} or {@code daily}), keyed by variable. */
  private static final class Section {
    final JsonNode times;
    final Map<String, JsonNode> arrays = new LinkedHashMap<>();
    final Map<String, String> units = new LinkedHashMap<>();

    Section(JsonNode times) {
      this.times = times;
    }
  }

  private static Section section(JsonNode block, JsonNode unitsNode) {
    if (block == null || !block.isObject()) return null;
    JsonNode times = block.get("time");
    if (times == null || !times.isArray())
      throw new SourceException(SOURCE + ": block without a \"time\" array");
    Section s = new Section(times);
    for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals("time")) continue;
      s.arrays.put(e.getKey(), e.getValue());
      JsonNode unit = unitsNode.get(e.getKey());
      s.units.put(e.getKey(), unit == null || unit.isNull() ? "" : unit.asText());
    }
    return s;
  }

  private static Map<String, Double> values(Section s, int index) {
    Map<String, Double> values = WeatherRows.newValues(s.arrays.size());
    for (var e : s.arrays.entrySet()) {
      JsonNode array = e.getValue();
      if (!array.isArray() || index >= array.size())
        throw new InvalidRow(e.getKey() + " has no value for row " + index);
      JsonNode v = array.get(index);
      if (v.isNull()) values.put(e.getKey(), null);
      else if (v.isNumber()) values.put(e.getKey(), v.asDouble());
      else if (v.isTextual() && v.asText().strip().matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?"))
        values.put(e.getKey(), Double.parseDouble(v.asText().strip()));
      else throw new InvalidRow(e.getKey() + " is not a number: " + v);
    }
    return values;
  }

  /** A local time in the answer's zone (or Unix seconds) as an instant. */
  static Instant instant(JsonNode node, ZoneId zone, Instant previous) {
    if (node.isNumber()) return Instant.ofEpochSecond(node.asLong());
    try {
      return WeatherTimes.instant(node.asText(), zone, previous);
    } catch (DateTimeParseException e) {
      throw new InvalidRow("time is not an ISO-8601 local date-time: " + node);
    }
  }

  static LocalDate date(JsonNode node, ZoneId zone) {
    if (node.isNumber()) return WeatherTimes.date(node.asLong(), zone);
    try {
      return WeatherTimes.date(node.asText());
    } catch (DateTimeParseException e) {
      throw new InvalidRow("date is not an ISO-8601 date: " + node);
    }
  }

  private static byte[] raw(
      String location, String timeField, JsonNode time, Section s, int index) {
    ObjectNode o = JsonBodies.mapper().createObjectNode();
    o.put("location", location);
    o.set(timeField, time);
    ObjectNode values = o.putObject("values");
    for (var e : s.arrays.entrySet()) values.set(e.getKey(), e.getValue().path(index));
    try {
      return JsonBodies.mapper().writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String snippet(JsonNode n) {
    String s = n.toString();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** A row that cannot be a record. */
  static final class InvalidRow extends RuntimeException {
    InvalidRow(String message) {
      super(message);
    }
  }
}
