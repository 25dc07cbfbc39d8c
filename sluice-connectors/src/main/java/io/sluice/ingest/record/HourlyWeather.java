package io.sluice.ingest.record;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One hour of weather at one location, as published on the hourly topic (key = {@code
 * "lat,lon,time"}). {@code values} holds each requested variable (a value may be null), {@code
 * units} the unit of each.
 */
@JsonPropertyOrder({
  "schema_version",
  "location",
  "latitude",
  "longitude",
  "time",
  "timezone",
  "values",
  "units",
  "source",
  "fetched_at",
  "run_id"
})
public record HourlyWeather(
    @JsonProperty("schema_version") int schemaVersion,
    @JsonProperty("location") String location,
    @JsonProperty("latitude") double latitude,
    @JsonProperty("longitude") double longitude,
    @JsonProperty("time") Instant time,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("values") Map<String, Double> values,
    @JsonProperty("units") Map<String, String> units,
    @JsonProperty("source") String source,
    @JsonProperty("fetched_at") Instant fetchedAt,
    @JsonProperty("run_id") String runId) {

  public static final int SCHEMA_VERSION = 1;
  public static final String SOURCE = "open-meteo";

  public HourlyWeather {
    // why: Map.copyOf rejects null values, and a missing measurement is a legitimate null
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values == null ? Map.of() : values));
    units = Collections.unmodifiableMap(new LinkedHashMap<>(units == null ? Map.of() : units));
  }

  /** The Kafka key: {@code "lat,lon,time"}. */
  public String key() {
    return Locations.format(latitude, longitude) + "," + time;
  }
}
