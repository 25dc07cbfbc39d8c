package io.sluice.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.record.RecordFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {
  private static final String USER =
      "{\"schema_version\":1,\"id\":\"0f8b7e46-8c1f-4a55-9d2e-3a8e2b1c9d10\",\"first_name\":\"Zoë\","
          + "\"last_name\":\"Ørsted\",\"gender\":null,\"dob\":\"1975-06-01T08:30:00Z\","
          + "\"fetched_at\":\"2024-03-15T21:00:00.123Z\",\"a_newer_field\":7}";

  @Test
  void readsTheReadableJsonOfAUserByTheUserSchema() {
    GenericRecord user = JsonRecords.decode(bytes(USER), RecordType.USER.schema());
    assertThat(user.get("first_name")).hasToString("Zoë");
    assertThat(user.get("dob")).isEqualTo(Instant.parse("1975-06-01T08:30:00Z").toEpochMilli());
    assertThat(user.get("fetched_at"))
        .isEqualTo(Instant.parse("2024-03-15T21:00:00.123Z").toEpochMilli());
    assertThat(user.get("email")).isNull();
  }

  @Test
  void roundTripsAUser() {
    GenericRecord user = JsonRecords.decode(bytes(USER), RecordType.USER.schema());
    GenericRecord again = JsonRecords.decode(JsonRecords.encode(user), RecordType.USER.schema());
    assertThat(again).isEqualTo(user);
    assertThat(new String(JsonRecords.encode(user), StandardCharsets.UTF_8))
        .contains("\"dob\":\"1975-06-01T08:30:00Z\"")
        .doesNotContain("a_newer_field");
  }

  @Test
  void roundTripsDailyWeatherWithItsDateAndNullMeasurements() {
    String json =
        "{\"schema_version\":1,\"location\":\"52.52,13.41\",\"latitude\":52.52,"
            + "\"longitude\":13.41,\"date\":\"2024-03-15\",\"timezone\":\"Europe/Berlin\","
            + "\"values\":{\"temperature_2m_max\":11.5,\"rain_sum\":null},"
            + "\"units\":{\"temperature_2m_max\":\"°C\"}}";
    GenericRecord day = JsonRecords.decode(bytes(json), RecordType.DAILY_WEATHER.schema());
    assertThat(day.get("date")).isEqualTo((int) LocalDate.parse("2024-03-15").toEpochDay());
    @SuppressWarnings("unchecked")
    Map<String, Object> values = (Map<String, Object>) day.get("values");
    assertThat(values).containsEntry("rain_sum", null);
    assertThat(new String(JsonRecords.encode(day), StandardCharsets.UTF_8))
        .contains("\"date\":\"2024-03-15\"")
        .contains("\"rain_sum\":null");
  }

  @Test
  void refusesANewerSchemaVersionAndMalformedInput() {
    assertThatThrownBy(
            () ->
                JsonRecords.decode(
                    bytes(USER.replace("\"schema_version\":1", "\"schema_version\":2")),
                    RecordType.USER.schema()))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("unsupported schema_version 2");
    assertThatThrownBy(() -> JsonRecords.decode(bytes("{not json"), RecordType.USER.schema()))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("invalid JSON");
    assertThatThrownBy(
            () ->
                JsonRecords.decode(
                    bytes(USER.replace("\"1975-06-01T08:30:00Z\"", "\"yesterday\"")),
                    RecordType.USER.schema()))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("User.dob");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
