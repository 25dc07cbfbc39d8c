package io.sluice.spark.weather;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.record.DailyWeather;
import io.sluice.ingest.record.HourlyWeather;
import io.sluice.ingest.record.RecordCodec;
import io.sluice.records.RecordReader;
import io.sluice.records.RecordType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class WeatherRowsTest {
  private static final Instant FETCHED = Instant.parse("2024-03-05T00:00:00Z");
  private final WeatherRows rows = new WeatherRows("w.hourly", null);
  private final RecordReader hourly = new RecordReader(RecordType.HOURLY_WEATHER, null);
  private final RecordReader daily = new RecordReader(RecordType.DAILY_WEATHER, null);

  @Test
  void anHourBecomesARowWithItsLocalDateAndNullMeasurements() {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("temperature_2m", 1.5);
    values.put("precipitation", null);
    HourlyWeather h =
        new HourlyWeather(
            1,
            "52.52,13.41",
            52.52,
            13.41,
            Instant.parse("2024-03-01T23:00:00Z"),
            "Europe/Berlin",
            values,
            Map.of("temperature_2m", "°C"),
            HourlyWeather.SOURCE,
            FETCHED,
            "run-w");
    Row row = rows.toRow(kafka("w.hourly", RecordCodec.encode(h)), hourly, daily);
    assertThat(row.getString(WeatherRows.ERROR)).isNull();
    assertThat(row.getString(WeatherRows.KIND)).isEqualTo(WeatherRows.HOURLY);
    assertThat(row.getString(WeatherRows.LOCATION)).isEqualTo("52.52,13.41");
    assertThat(row.getDouble(WeatherRows.LATITUDE)).isEqualTo(52.52);
    assertThat(row.get(WeatherRows.TIME)).isEqualTo(Instant.parse("2024-03-01T23:00:00Z"));
    assertThat(row.get(WeatherRows.DATE)).isEqualTo(LocalDate.parse("2024-03-02"));
    assertThat(row.get(WeatherRows.FETCHED_AT)).isEqualTo(FETCHED);
    assertThat(row.getString(WeatherRows.RUN_ID)).isEqualTo("run-w");
    @SuppressWarnings("unchecked")
    var measured =
        CollectionConverters.asJava(
            (scala.collection.Map<String, Double>) row.get(WeatherRows.VALUES));
    assertThat(measured).containsEntry("temperature_2m", 1.5).containsEntry("precipitation", null);
  }

  @Test
  void aDayKeepsItsDateAndABadRecordIsAParseFailure() {
    DailyWeather d =
        new DailyWeather(
            1,
            "52.52,13.41",
            52.52,
            13.41,
            LocalDate.parse("2024-03-01"),
            "UTC",
            Map.of("temperature_2m_max", 12.0),
            Map.of("temperature_2m_max", "°C"),
            DailyWeather.SOURCE,
            FETCHED,
            "run-w");
    Row row = rows.toRow(kafka("w.daily", RecordCodec.encode(d)), hourly, daily);
    assertThat(row.getString(WeatherRows.ERROR)).isNull();
    assertThat(row.getString(WeatherRows.KIND)).isEqualTo(WeatherRows.DAILY);
    assertThat(row.get(WeatherRows.DATE)).isEqualTo(LocalDate.parse("2024-03-01"));

    Row bad =
        rows.toRow(kafka("w.daily", "{not json".getBytes(StandardCharsets.UTF_8)), hourly, daily);
    assertThat(bad.getString(WeatherRows.ERROR_STAGE)).isEqualTo("parse");
    assertThat(bad.getString(WeatherRows.ERROR)).contains("invalid JSON");
  }

  private static Row kafka(String topic, byte[] value) {
    return RowFactory.create(
        "k".getBytes(StandardCharsets.UTF_8), value, topic, 0, 7L, Instant.EPOCH);
  }
}
