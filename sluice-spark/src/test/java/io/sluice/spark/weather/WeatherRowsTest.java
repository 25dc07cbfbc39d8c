package io.sluice.spark.weather;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.records.JsonRecords;
import io.sluice.records.RecordBuilder;
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

  static RecordBuilder weather(RecordType type, String timezone) {
    return RecordBuilder.of(type)
        .set("schema_version", 1)
        .set("location", "52.52,13.41")
        .set("latitude", 52.52)
        .set("longitude", 13.41)
        .set("timezone", timezone)
        .set("source", "open-meteo")
        .set("fetched_at", FETCHED)
        .set("run_id", "run-w");
  }

  @Test
  void anHourBecomesARowWithItsLocalDateAndNullMeasurements() {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("temperature_2m", 1.5);
    values.put("precipitation", null);
    byte[] h =
        JsonRecords.encode(
            weather(RecordType.HOURLY_WEATHER, "Europe/Berlin")
                .set("time", Instant.parse("2024-03-01T23:00:00Z"))
                .set("values", values)
                .set("units", Map.of("temperature_2m", "°C"))
                .build());
    Row row = rows.toRow(kafka("w.hourly", h), hourly, daily);
    assertThat(row.getString(WeatherRows.ERROR)).isNull();
    assertThat(row.getString(WeatherRows.KIND)).isEqualTo(WeatherRows.HOURLY);
    assertThat(row.getString(column("location"))).isEqualTo("52.52,13.41");
    assertThat(row.getDouble(column("latitude"))).isEqualTo(52.52);
    assertThat(row.get(column("time"))).isEqualTo(Instant.parse("2024-03-01T23:00:00Z"));
    assertThat(row.get(WeatherRows.DATE)).isEqualTo(LocalDate.parse("2024-03-02"));
    assertThat(row.get(column("fetched_at"))).isEqualTo(FETCHED);
    assertThat(row.getString(column("run_id"))).isEqualTo("run-w");
    @SuppressWarnings("unchecked")
    var measured =
        CollectionConverters.asJava(
            (scala.collection.Map<String, Double>) row.get(column("values")));
    assertThat(measured).containsEntry("temperature_2m", 1.5).containsEntry("precipitation", null);
  }

  @Test
  void aDayKeepsItsDateAndABadRecordIsAParseFailure() {
    byte[] d =
        JsonRecords.encode(
            weather(RecordType.DAILY_WEATHER, "UTC")
                .set("date", LocalDate.parse("2024-03-01"))
                .set("values", Map.of("temperature_2m_max", 12.0))
                .set("units", Map.of("temperature_2m_max", "°C"))
                .build());
    Row row = rows.toRow(kafka("w.daily", d), hourly, daily);
    assertThat(row.getString(WeatherRows.ERROR)).isNull();
    assertThat(row.getString(WeatherRows.KIND)).isEqualTo(WeatherRows.DAILY);
    assertThat(row.get(WeatherRows.DATE)).isEqualTo(LocalDate.parse("2024-03-01"));

    Row bad =
        rows.toRow(kafka("w.daily", "{not json".getBytes(StandardCharsets.UTF_8)), hourly, daily);
    assertThat(bad.getString(WeatherRows.ERROR_STAGE)).isEqualTo("parse");
    assertThat(bad.getString(WeatherRows.ERROR)).contains("invalid JSON");
  }

  private int column(String name) {
    return rows.schema().fieldIndex(name);
  }

  static Row kafka(String topic, byte[] value) {
    return RowFactory.create(
        "k".getBytes(StandardCharsets.UTF_8), value, topic, 0, 7L, Instant.EPOCH);
  }
}
