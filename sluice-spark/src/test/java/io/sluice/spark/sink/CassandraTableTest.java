package io.sluice.spark.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.records.RecordType;
import java.util.Map;
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
}
