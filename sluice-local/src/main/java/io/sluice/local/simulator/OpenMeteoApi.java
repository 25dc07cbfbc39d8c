package io.sluice.local.simulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers like Open-Meteo's {@code /v1/forecast}, {@code /v1/dwd-icon} and {@code /v1/archive}.
 * Values follow a daily and seasonal cycle and are a pure function of location and hour, so the
 * same request always gets the same numbers.
 */
final class OpenMeteoApi {
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  /** Hourly variables and their units. */
  static final Map<String, String> HOURLY = new LinkedHashMap<>();

  /** Daily variables and their units. */
  static final Map<String, String> DAILY = new LinkedHashMap<>();

  static {
    HOURLY.put("temperature_2m", "°C");
    HOURLY.put("apparent_temperature", "°C");
    HOURLY.put("dew_point_2m", "°C");
    HOURLY.put("relative_humidity_2m", "%");
    HOURLY.put("relativehumidity_2m", "%");
    HOURLY.put("precipitation", "mm");
    HOURLY.put("rain", "mm");
    HOURLY.put("snowfall", "cm");
    HOURLY.put("cloud_cover", "%");
    HOURLY.put("cloudcover", "%");
    HOURLY.put("pressure_msl", "hPa");
    HOURLY.put("surface_pressure", "hPa");
    HOURLY.put("wind_speed_10m", "km/h");
    HOURLY.put("windspeed_10m", "km/h");
    HOURLY.put("wind_direction_10m", "°");
    HOURLY.put("winddirection_10m", "°");
    HOURLY.put("wind_gusts_10m", "km/h");
    HOURLY.put("shortwave_radiation", "W/m²");
    HOURLY.put("weather_code", "wmo code");
    HOURLY.put("weathercode", "wmo code");
    HOURLY.put("is_day", "");
    DAILY.put("temperature_2m_max", "°C");
    DAILY.put("temperature_2m_min", "°C");
    DAILY.put("temperature_2m_mean", "°C");
    DAILY.put("apparent_temperature_max", "°C");
    DAILY.put("apparent_temperature_min", "°C");
    DAILY.put("precipitation_sum", "mm");
    DAILY.put("rain_sum", "mm");
    DAILY.put("snowfall_sum", "cm");
    DAILY.put("precipitation_hours", "h");
    DAILY.put("wind_speed_10m_max", "km/h");
    DAILY.put("windspeed_10m_max", "km/h");
    DAILY.put("wind_gusts_10m_max", "km/h");
    DAILY.put("shortwave_radiation_sum", "MJ/m²");
    DAILY.put("weather_code", "wmo code");
  }

  /** A request Open-Meteo refuses: HTTP 400 with {@code {"error":true,"reason":...}}. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String reason) {
      super(reason);
    }
  }

  private final boolean archive;

  OpenMeteoApi(boolean archive) {
    this.archive = archive;
  }

  byte[] answer(Map<String, String> query) {
    List<Double> lats = coordinates(query.get("latitude"), "latitude", 90);
    List<Double> lons = coordinates(query.get("longitude"), "longitude", 180);
    if (lats.size() != lons.size())
      throw new BadRequest(
          "Parameter 'latitude' and 'longitude' must have the same number of elements");
    List<String> hourly = variables(query.get("hourly"), HOURLY, "hourly");
    List<String> daily = variables(query.get("daily"), DAILY, "daily");
    String tzName = query.getOrDefault("timezone", "GMT");
    LocalDate[] range = range(query);

    var out = new ByteArrayOutputStream(8192);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      if (lats.size() > 1) g.writeStartArray();
      for (int i = 0; i < lats.size(); i++) {
        double lat = lats.get(i);
        double lon = lons.get(i);
        ZoneId zone = zone(tzName, lon);
        writeLocation(g, lat, lon, zone, range[0], range[1], hourly, daily);
      }
      if (lats.size() > 1) g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private void writeLocation(
      JsonGenerator g,
      double lat,
      double lon,
      ZoneId zone,
      LocalDate from,
      LocalDate to,
      List<String> hourly,
      List<String> daily)
      throws IOException {
    ZonedDateTime start = from.atStartOfDay(zone);
    ZonedDateTime end = to.plusDays(1).atStartOfDay(zone);
    int offset = zone.getRules().getOffset(start.toInstant()).getTotalSeconds();
    Instant cutoff = Instant.now().minusSeconds(2 * 86400);

    g.writeStartObject();
    g.writeNumberField("latitude", lat);
    g.writeNumberField("longitude", lon);
    g.writeNumberField("generationtime_ms", 0.1);
    g.writeNumberField("utc_offset_seconds", offset);
    g.writeStringField("timezone", zone.getId());
    g.writeStringField(
        "timezone_abbreviation",
        zone.getRules().getOffset(start.toInstant()).equals(ZoneOffset.UTC)
            ? "GMT"
            : zone.getRules().getOffset(start.toInstant()).getId());
    g.writeNumberField("elevation", Math.round(Math.abs(Math.sin(lat * 7 + lon * 3)) * 800));
    if (!hourly.isEmpty()) {
      List<Instant> hours = new ArrayList<>();
      for (Instant t = start.toInstant(); t.isBefore(end.toInstant()); t = t.plusSeconds(3600))
        hours.add(t);
      g.writeObjectFieldStart("hourly_units");
      g.writeStringField("time", "iso8601");
      for (String v : hourly) g.writeStringField(v, HOURLY.get(v));
      g.writeEndObject();
      g.writeObjectFieldStart("hourly");
      g.writeArrayFieldStart("time");
      for (Instant t : hours) g.writeString(HOUR.format(t.atZone(zone)));
      g.writeEndArray();
      for (String v : hourly) {
        g.writeArrayFieldStart(v);
        for (Instant t : hours) {
          if (archive && t.isAfter(cutoff)) g.writeNull();
          else g.writeNumber(round(Weather.hourly(v, lat, lon, t)));
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    if (!daily.isEmpty()) {
      g.writeObjectFieldStart("daily_units");
      g.writeStringField("time", "iso8601");
      for (String v : daily) g.writeStringField(v, DAILY.get(v));
      g.writeEndObject();
      g.writeObjectFieldStart("daily");
      g.writeArrayFieldStart("time");
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) g.writeString(d.toString());
      g.writeEndArray();
      for (String v : daily) {
        g.writeArrayFieldStart(v);
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
          Instant dayStart = d.atStartOfDay(zone).toInstant();
          if (archive && dayStart.isAfter(cutoff)) g.writeNull();
          else g.writeNumber(round(Weather.daily(v, lat, lon, d, zone)));
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private LocalDate[] range(Map<String, String> query) {
    String s = query.get("start_date");
    String e = query.get("end_date");
    if ((s == null) != (e == null))
      throw new BadRequest("Parameter 'start_date' and 'end_date' must be set together");
    if (s == null) {
      if (archive) throw new BadRequest("Parameter 'start_date' is required");
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      int past = intParam(query, "past_days", 0);
      int days = intParam(query, "forecast_days", 7);
      return new LocalDate[] {today.minusDays(past), today.plusDays(Math.max(1, days) - 1L)};
    }
    try {
      LocalDate from = LocalDate.parse(s.trim());
      LocalDate to = LocalDate.parse(e.trim());
      if (to.isBefore(from))
        throw new BadRequest("End-date must be larger or equals than start-date");
      if (from.plusDays(366 * 3).isBefore(to))
        throw new BadRequest("Date range is limited to 3 years per request");
      return new LocalDate[] {from, to};
    } catch (DateTimeParseException ex) {
      throw new BadRequest("Invalid date format, expected yyyy-MM-dd: " + ex.getParsedString());
    }
  }

  private static int intParam(Map<String, String> query, String name, int dflt) {
    String raw = query.get(name);
    if (raw == null) return dflt;
    try {
      return Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new BadRequest("Invalid value for " + name + ": " + raw);
    }
  }

  private static ZoneId zone(String name, double lon) {
    if (name.equalsIgnoreCase("auto")) {
      int hours = (int) Math.round(lon / 15);
      return ZoneId.of(hours == 0 ? "GMT" : "Etc/GMT" + (hours > 0 ? "-" : "+") + Math.abs(hours));
    }
    try {
      return ZoneId.of(name.trim());
    } catch (DateTimeException e) {
      throw new BadRequest("Invalid timezone: " + name);
    }
  }

  private static List<Double> coordinates(String raw, String name, double limit) {
    if (raw == null || raw.isBlank()) throw new BadRequest("Parameter '" + name + "' is required");
    var values = new ArrayList<Double>();
    for (String part : raw.split(",")) {
      try {
        double v = Double.parseDouble(part.trim());
        if (Math.abs(v) > limit)
          throw new BadRequest(
              name
                  + " must be in range of -"
                  + (int) limit
                  + " to "
                  + (int) limit
                  + "°. Given: "
                  + v
                  + ".");
        values.add(v);
      } catch (NumberFormatException e) {
        throw new BadRequest("Parameter '" + name + "' is not a number: " + part);
      }
    }
    return values;
  }

  private static List<String> variables(String raw, Map<String, String> known, String key) {
    var out = new ArrayList<String>();
    if (raw == null || raw.isBlank()) return out;
    for (String v : raw.split(",")) {
      String name = v.trim();
      if (name.isEmpty()) continue;
      if (!known.containsKey(name))
        throw new BadRequest(
            "Data corrupted at path ''. Cannot initialize Variable from invalid String value "
                + name
                + " for key "
                + key
                + ".");
      out.add(name);
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
