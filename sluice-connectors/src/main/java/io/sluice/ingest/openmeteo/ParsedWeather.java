package io.sluice.ingest.openmeteo;

import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * One decoded Open-Meteo answer, for all its locations: the hourly and daily records, each in its
 * schema and with its Kafka key, the rows that could not be made into records, with the reason, and
 * when the answer was fetched.
 */
public record ParsedWeather(
    List<Keyed> hourly, List<Keyed> daily, List<Invalid> invalid, Instant fetchedAt) {
  public ParsedWeather {
    hourly = List.copyOf(hourly);
    daily = List.copyOf(daily);
    invalid = List.copyOf(invalid);
  }

  /**
   * A record and its Kafka key: {@code "lat,lon,time"} for an hour, {@code "lat,lon,date"} for a
   * day.
   */
  public record Keyed(String key, GenericRecord record) {}

  /** A row that failed validation: its source values as JSON, and why. */
  public record Invalid(String error, byte[] raw) {}
}
