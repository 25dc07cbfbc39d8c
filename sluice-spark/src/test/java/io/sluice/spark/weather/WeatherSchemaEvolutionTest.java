package io.sluice.spark.weather;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.records.EvolvedSchemas;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordReader;
import io.sluice.records.RecordType;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An optional field added to the hourly and daily weather schemas by one new {@code .avsc} each,
 * and nothing else: the weather rows and the lake's columns carry it, and records of the older
 * schemas have it null.
 */
class WeatherSchemaEvolutionTest {
  private static final Instant HOUR = Instant.parse("2024-03-01T23:00:00Z");

  @AfterEach
  void forgetTheEvolvedSchemas() {
    EvolvedSchemas.forget();
  }

  private static byte[] hour(String station) {
    var b =
        WeatherRowsTest.weather(RecordType.HOURLY_WEATHER, "UTC")
            .set("time", HOUR)
            .set("values", Map.of("temperature_2m", 1.5))
            .set("units", Map.of("temperature_2m", "°C"));
    if (station != null) b.set("station", station);
    return JsonRecords.encode(b.build());
  }

  private static byte[] day(String station) {
    var b =
        WeatherRowsTest.weather(RecordType.DAILY_WEATHER, "UTC")
            .set("date", LocalDate.parse("2024-03-01"))
            .set("values", Map.of("temperature_2m_max", 12.0))
            .set("units", Map.of("temperature_2m_max", "°C"));
    if (station != null) b.set("station", station);
    return JsonRecords.encode(b.build());
  }

  @Test
  void aNewOptionalFieldIsAColumnOfTheRowsAndTheLakeAndNullForOldRecords(@TempDir Path dir)
      throws Exception {
    byte[] oldHour = hour(null);
    byte[] oldDay = day(null);
    assertThat(new WeatherRows("w.hourly", null).schema().fieldNames()).doesNotContain("station");

    EvolvedSchemas.addOptionalField(dir, RecordType.HOURLY_WEATHER, "station");
    EvolvedSchemas.addOptionalField(dir, RecordType.DAILY_WEATHER, "station");
    WeatherRows rows = new WeatherRows("w.hourly", null);
    RecordReader hourly = new RecordReader(RecordType.HOURLY_WEATHER, null);
    RecordReader daily = new RecordReader(RecordType.DAILY_WEATHER, null);

    int station = rows.schema().fieldIndex("station");
    assertThat(rows.schema().fields()[station].dataType()).isEqualTo(DataTypes.StringType);
    assertThat(WeatherRows.lakeColumns(rows.schema())).contains("station", "location", "date");

    Row newHour = rows.toRow(WeatherRowsTest.kafka("w.hourly", hour("ST-1")), hourly, daily);
    Row newDay = rows.toRow(WeatherRowsTest.kafka("w.daily", day("ST-2")), hourly, daily);
    Row oldHourRow = rows.toRow(WeatherRowsTest.kafka("w.hourly", oldHour), hourly, daily);
    Row oldDayRow = rows.toRow(WeatherRowsTest.kafka("w.daily", oldDay), hourly, daily);
    for (Row r : new Row[] {newHour, newDay, oldHourRow, oldDayRow})
      assertThat(r.isNullAt(WeatherRows.ERROR_STAGE)).as("%s", r).isTrue();
    assertThat(newHour.getString(station)).isEqualTo("ST-1");
    assertThat(newDay.getString(station)).isEqualTo("ST-2");
    assertThat(oldHourRow.isNullAt(station)).isTrue();
    assertThat(oldDayRow.isNullAt(station)).isTrue();
    assertThat(oldHourRow.get(rows.schema().fieldIndex("time"))).isEqualTo(HOUR);
  }
}
