package io.sluice.ingest.record;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One day of weather at one location, as published on the daily topic (key = {@code
 * "lat,lon,date"}). {@code date} is the local date Open-Meteo gives in the requested timezone.
 */
@JsonPropertyOrder({
  "schema_version",
  "location",
  "latitude",
  "longitude",
  "date",
  "timezone",
  "values",
  "units",
  "source",
  "fetched_at",
  "run_id"
})
public record DailyWeather(
    @JsonProperty("schema_version") int schemaVersion,
    @JsonProperty("location") String location,
    @JsonProperty("latitude") double latitude,
    @JsonProperty("longitude") double longitude,
    @JsonProperty("date") LocalDate date,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("values") Map<String, Double> values,
    @JsonProperty("units") Map<String, String> units,
    @JsonProperty("source") String source,
    @JsonProperty("fetched_at") Instant fetchedAt,
    @JsonProperty("run_id") String runId) {

  public static final int SCHEMA_VERSION = 1;
  public static final String SOURCE = "open-meteo";

  public DailyWeather {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values == null ? Map.of() : values));
    units = Collections.unmodifiableMap(new LinkedHashMap<>(units == null ? Map.of() : units));
  }

  /** The Kafka key: {@code "lat,lon,date"}. */
  public String key() {
    return Locations.format(latitude, longitude) + "," + date;
  }
}
