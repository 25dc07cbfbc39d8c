package io.sluice.spark.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.records.RecordType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class CassandraTableTest {

  @Test
  void theUsersTableIsDerivedFromTheUserSchema() {
    CassandraTable users =
        CassandraTable.of(
            "spark_streams", "created_users", RecordType.USER.schema(), "id", Map.of());
    assertThat(users.columns())
        .containsEntry("id", "uuid")
        .containsEntry("first_name", "text")
        .containsEntry("dob", "timestamp")
        .containsEntry("schema_version", "int")
        .hasSize(RecordType.USER.schema().getFields().size());
    assertThat(users.insertCql())
        .startsWith("INSERT INTO spark_streams.created_users (schema_version, id, first_name,")
        .contains("VALUES (:schema_version, :id, :first_name,");
  }

  @Test
  void mapsDatesMapsAndExtraColumnsOfTheWeatherSchemas() {
    CassandraTable daily =
        CassandraTable.of(
            "analytics",
            "dailydata",
            RecordType.DAILY_WEATHER.schema(),
            "(location), date",
            Map.of("local_date", "date"));
    assertThat(daily.columns())
        .containsEntry("date", "date")
        .containsEntry("values", "map<text, double>")
        .containsEntry("units", "map<text, text>")
        .containsEntry("local_date", "date");
  }

  @Test
  void avroValuesBecomeTheJavaTypesOfTheirCqlColumns() {
    var fields = RecordType.USER.schema();
    assertThat(
            CassandraTable.driverValue(
                new Utf8("6f1c2b1e-8a4d-4b6e-9c1a-0d2e3f4a5b6c"), fields.getField("id").schema()))
        .isEqualTo(UUID.fromString("6f1c2b1e-8a4d-4b6e-9c1a-0d2e3f4a5b6c"));
    assertThat(CassandraTable.driverValue(new Utf8("Ann"), fields.getField("first_name").schema()))
        .isEqualTo("Ann");
    assertThat(CassandraTable.driverValue(86_400_000L, fields.getField("dob").schema()))
        .isEqualTo(Instant.parse("1970-01-02T00:00:00Z"));
    assertThat(CassandraTable.driverValue(1, fields.getField("schema_version").schema()))
        .isEqualTo(1);
    var daily = RecordType.DAILY_WEATHER.schema();
    assertThat(CassandraTable.driverValue(19_000, daily.getField("date").schema()))
        .isEqualTo(LocalDate.ofEpochDay(19_000));
    assertThat(
            CassandraTable.driverValue(
                Map.of(new Utf8("temperature_2m_max"), 21.5), daily.getField("values").schema()))
        .isEqualTo(Map.of("temperature_2m_max", 21.5));
    assertThat(CassandraTable.driverValue(null, daily.getField("values").schema())).isNull();
  }
}
