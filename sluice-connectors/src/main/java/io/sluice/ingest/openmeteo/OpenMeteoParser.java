package io.sluice.ingest.openmeteo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ingest.record.Locations;
import io.sluice.ingest.source.JsonBodies;
import io.sluice.ingest.source.SourceErrorException;
import io.sluice.ingest.source.SourceException;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordBuilder;
import io.sluice.records.RecordType;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

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
      double lat = loc.get("latitude").asDouble();
      double lon = loc.get("longitude").asDouble();
      if (requested.size() == locations.size()) {
        lat = requested.get(i)[0];
        lon = requested.get(i)[1];
      }
      String tzName = loc.hasNonNull("timezone") ? loc.get("timezone").asText().strip() : "GMT";
      ZoneId zone = zone(tzName, loc.path("utc_offset_seconds").asInt(0));
      String location = Locations.format(lat, lon);
      Section h = section(loc.get("hourly"), loc.path("hourly_units"));
      if (h != null) {
        Instant previous = null;
        for (int t = 0; t < h.times.size(); t++) {
          JsonNode timeNode = h.times.get(t);
          try {
            Instant time = instant(timeNode, zone, previous);
            previous = time;
            GenericRecord r =
                common(RecordType.HOURLY_WEATHER, location, lat, lon, tzName, fetchedAt)
                    .set("time", time)
                    .set("values", values(h, t))
                    .set("units", h.units)
                    .build();
            hourly.add(new ParsedWeather.Keyed(location + "," + time, r));
          } catch (InvalidRow e) {
            invalid.add(
                new ParsedWeather.Invalid(e.getMessage(), raw(location, "time", timeNode, h, t)));
          }
        }
      }
      Section d = section(loc.get("daily"), loc.path("daily_units"));
      if (d != null) {
        for (int t = 0; t < d.times.size(); t++) {
          JsonNode timeNode = d.times.get(t);
          try {
            LocalDate date = date(timeNode, zone);
            GenericRecord r =
                common(RecordType.DAILY_WEATHER, location, lat, lon, tzName, fetchedAt)
                    .set("date", date)
                    .set("values", values(d, t))
                    .set("units", d.units)
                    .build();
            daily.add(new ParsedWeather.Keyed(location + "," + date, r));
          } catch (InvalidRow e) {
            invalid.add(
                new ParsedWeather.Invalid(e.getMessage(), raw(location, "date", timeNode, d, t)));
          }
        }
      }
    }
    return new ParsedWeather(hourly, daily, invalid, fetchedAt);
  }

  /** A record of {@code type} with the fields every weather row has. */
  private RecordBuilder common(
      RecordType type, String location, double lat, double lon, String tz, Instant fetchedAt) {
    return RecordBuilder.of(type)
        .set("schema_version", JsonRecords.MAX_SCHEMA_VERSION)
        .set("location", location)
        .set("latitude", lat)
        .set("longitude", lon)
        .set("timezone", tz)
        .set("source", SOURCE)
        .set("fetched_at", fetchedAt)
        .set("run_id", runId);
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
    Map<String, Double> values = new LinkedHashMap<>();
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
      LocalDateTime local = LocalDateTime.parse(node.asText().strip());
      ZonedDateTime z = local.atZone(zone);
      // why: in the hour repeated when clocks go back, the second occurrence is the later offset
      if (previous != null && !z.toInstant().isAfter(previous)) z = z.withLaterOffsetAtOverlap();
      return z.toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidRow("time is not an ISO-8601 local date-time: " + node);
    }
  }

  static LocalDate date(JsonNode node, ZoneId zone) {
    if (node.isNumber()) return Instant.ofEpochSecond(node.asLong()).atZone(zone).toLocalDate();
    try {
      return LocalDate.parse(node.asText().strip());
    } catch (DateTimeParseException e) {
      throw new InvalidRow("date is not an ISO-8601 date: " + node);
    }
  }

  static ZoneId zone(String name, int offsetSeconds) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      return ZoneOffset.ofTotalSeconds(offsetSeconds);
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
