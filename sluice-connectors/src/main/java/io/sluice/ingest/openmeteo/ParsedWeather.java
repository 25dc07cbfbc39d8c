package io.sluice.ingest.openmeteo;

import io.sluice.ingest.record.DailyWeather;
import io.sluice.ingest.record.HourlyWeather;
import java.util.List;

/**
 * One decoded Open-Meteo answer, for all its locations: the hourly and daily records, and the rows
 * that could not be made into records, with the reason.
 */
public record ParsedWeather(
    List<HourlyWeather> hourly, List<DailyWeather> daily, List<Invalid> invalid) {
  public ParsedWeather {
    hourly = List.copyOf(hourly);
    daily = List.copyOf(daily);
    invalid = List.copyOf(invalid);
  }

  /** A row that failed validation: its source values as JSON, and why. */
  public record Invalid(String error, byte[] raw) {}
}
