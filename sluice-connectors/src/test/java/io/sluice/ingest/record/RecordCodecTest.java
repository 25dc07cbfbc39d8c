package io.sluice.ingest.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.records.JavaRecords;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private static final Instant FETCHED = Instant.parse("2024-03-15T21:00:00.123Z");

  static User user() {
    return new User(
        User.SCHEMA_VERSION,
        "0f8b7e46-8c1f-4a55-9d2e-3a8e2b1c9d10",
        "Zoë",
        "Ørsted",
        "female",
        "12 Main Street, Springfield, Oregon, United States",
        "5f2b9c0e",
        "zoe@example.com",
        "bluefrog42",
        Instant.parse("1975-06-01T08:30:00Z"),
        Instant.parse("2012-01-02T03:04:05.678Z"),
        "(555) 123-4567",
        "https://randomuser.me/api/portraits/med/women/1.jpg",
        User.SOURCE,
        FETCHED,
        "run-1");
  }

  /** An hourly record with a null value and units. */
  static HourlyWeather hourly() {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("temperature_2m", 1.5);
    values.put("precipitation", null);
    return new HourlyWeather(
        HourlyWeather.SCHEMA_VERSION,
        "52.52,13.41",
        52.52,
        13.41,
        Instant.parse("2024-01-01T00:00:00Z"),
        "Europe/Berlin",
        values,
        Map.of("temperature_2m", "°C", "precipitation", "mm"),
        HourlyWeather.SOURCE,
        FETCHED,
        "run-1");
  }

  /** A daily record with a date. */
  static DailyWeather daily() {
    return new DailyWeather(
        DailyWeather.SCHEMA_VERSION,
        "-33.87,151.2",
        -33.87,
        151.2,
        LocalDate.parse("2024-01-01"),
        "Etc/GMT+9",
        Map.of("temperature_2m_max", 25.0),
        Map.of("temperature_2m_max", "°C"),
        DailyWeather.SOURCE,
        FETCHED,
        "run-1");
  }

  /** The Java record, as Avro, equals its JSON read by the schema: the two shapes agree. */
  static void assertAgreesWithItsSchema(Record record, byte[] json, RecordType type) {
    assertThat(JavaRecords.toAvro(record, type.schema()))
        .isEqualTo(JsonRecords.decode(json, type.schema()));
  }

  @Test
  void userRoundTripsWithTheAgreedFieldNames() throws Exception {
    byte[] json = RecordCodec.encode(user());
    assertAgreesWithItsSchema(user(), json, RecordType.USER);

    JsonNode tree = RecordCodec.mapper().readTree(json);
    List<String> names = new java.util.ArrayList<>();
    tree.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactly(
            "schema_version",
            "id",
            "first_name",
            "last_name",
            "gender",
            "address",
            "post_code",
            "email",
            "username",
            "dob",
            "registered_date",
            "phone",
            "picture",
            "source",
            "fetched_at",
            "run_id");
    assertThat(tree.get("schema_version").asInt()).isEqualTo(1);
    assertThat(tree.get("dob").asText()).isEqualTo("1975-06-01T08:30:00Z");
    assertThat(tree.get("fetched_at").asText()).isEqualTo("2024-03-15T21:00:00.123Z");
    assertThat(RecordCodec.decodeUser(json)).isEqualTo(user());
  }

  @Test
  void hourlyWeatherRoundTripsWithNullValuesAndUnits() throws Exception {
    var hourly = hourly();

    byte[] json = RecordCodec.encode(hourly);

    JsonNode tree = RecordCodec.mapper().readTree(json);
    assertThat(tree.get("time").asText()).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(tree.get("values").has("precipitation")).isTrue();
    assertThat(tree.get("values").get("precipitation").isNull()).isTrue();
    assertThat(tree.get("units").get("temperature_2m").asText()).isEqualTo("°C");
    assertThat(RecordCodec.decodeHourly(json)).isEqualTo(hourly);
    assertAgreesWithItsSchema(hourly, json, RecordType.HOURLY_WEATHER);
    assertThat(hourly.key()).isEqualTo("52.52,13.41,2024-01-01T00:00:00Z");
  }

  @Test
  void dailyWeatherRoundTripsWithLocalDate() throws Exception {
    var daily = daily();

    byte[] json = RecordCodec.encode(daily);

    assertThat(RecordCodec.mapper().readTree(json).get("date").asText()).isEqualTo("2024-01-01");
    assertThat(RecordCodec.decodeDaily(json)).isEqualTo(daily);
    assertAgreesWithItsSchema(daily, json, RecordType.DAILY_WEATHER);
    assertThat(daily.key()).isEqualTo("-33.87,151.2,2024-01-01");
  }

  @Test
  void refusesANewerSchemaVersionAndMalformedJson() {
    String newer =
        RecordCodec.encodeToString(user()).replace("\"schema_version\":1", "\"schema_version\":2");
    assertThatThrownBy(() -> RecordCodec.decodeUser(newer.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("schema_version 2");
    assertThatThrownBy(() -> RecordCodec.decodeUser("{\"id\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("invalid JSON");
  }

  @Test
  void idIsLoginUuidWhenPresentElseAStableUuidV5() {
    byte[] source = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(User.deterministicId(" abc ", source)).isEqualTo("abc");
    String v5 = User.deterministicId(null, source);
    assertThat(v5).isEqualTo(User.deterministicId("", source));
    assertThat(java.util.UUID.fromString(v5).version()).isEqualTo(5);
    assertThat(User.deterministicId(null, "{}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(v5);
    // RFC 4122 appendix vector: DNS namespace, "www.example.com"
    assertThat(
            User.uuidV5(
                    java.util.UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
                    "www.example.com")
                .toString())
        .isEqualTo("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  }
}
