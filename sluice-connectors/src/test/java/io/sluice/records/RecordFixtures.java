package io.sluice.records;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/** One record of each published type, with every kind of value its schema holds. */
final class RecordFixtures {
  static final Instant FETCHED = Instant.parse("2024-03-15T21:00:00.123Z");

  private RecordFixtures() {}

  static RecordBuilder userBuilder() {
    return RecordBuilder.of(RecordType.USER)
        .set("schema_version", 1)
        .set("id", "0f8b7e46-8c1f-4a55-9d2e-3a8e2b1c9d10")
        .set("first_name", "Zoë")
        .set("last_name", "Ørsted")
        .set("gender", "female")
        .set("address", "12 Main Street, Springfield, Oregon, United States")
        .set("post_code", "5f2b9c0e")
        .set("email", "zoe@example.com")
        .set("username", "bluefrog42")
        .set("dob", Instant.parse("1975-06-01T08:30:00Z"))
        .set("registered_date", Instant.parse("2012-01-02T03:04:05.678Z"))
        .set("phone", "(555) 123-4567")
        .set("picture", "https://randomuser.me/api/portraits/med/women/1.jpg")
        .set("source", "randomuser")
        .set("fetched_at", FETCHED)
        .set("run_id", "run-1");
  }

  static GenericRecord user() {
    return userBuilder().build();
  }

  /** An hourly record with a null value and units. */
  static GenericRecord hourly() {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("temperature_2m", 1.5);
    values.put("precipitation", null);
    return weather(RecordType.HOURLY_WEATHER, "52.52,13.41", 52.52, 13.41, "Europe/Berlin")
        .set("time", Instant.parse("2024-01-01T00:00:00Z"))
        .set("values", values)
        .set("units", Map.of("temperature_2m", "°C", "precipitation", "mm"))
        .build();
  }

  /** A daily record with a date. */
  static GenericRecord daily() {
    return weather(RecordType.DAILY_WEATHER, "-33.87,151.2", -33.87, 151.2, "Etc/GMT+9")
        .set("date", LocalDate.parse("2024-01-01"))
        .set("values", Map.of("temperature_2m_max", 25.0))
        .set("units", Map.of("temperature_2m_max", "°C"))
        .build();
  }

  private static RecordBuilder weather(
      RecordType type, String location, double lat, double lon, String timezone) {
    return RecordBuilder.of(type)
        .set("schema_version", 1)
        .set("location", location)
        .set("latitude", lat)
        .set("longitude", lon)
        .set("timezone", timezone)
        .set("source", "open-meteo")
        .set("fetched_at", FETCHED)
        .set("run_id", "run-1");
  }
}
