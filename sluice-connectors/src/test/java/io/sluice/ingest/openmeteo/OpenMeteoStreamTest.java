package io.sluice.ingest.openmeteo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.record.Locations;
import io.sluice.ingest.source.SourceErrorException;
import io.sluice.ingest.source.SourceException;
import io.sluice.ingest.source.TransientSourceException;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordBuilder;
import io.sluice.records.RecordType;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The token reader of Open-Meteo answers against the tree reader: the same records, keys, dead
 * letters and exceptions for every fixture and for malformed answers.
 */
class OpenMeteoStreamTest {
  private static final Instant FETCHED = Instant.parse("2024-06-02T00:00:00Z");
  private static final List<double[]> ONE = List.of(new double[] {52.52, 13.41});

  private static final String GOOD =
      "{\"latitude\":52.5,\"longitude\":13.4,\"utc_offset_seconds\":3600,"
          + "\"timezone\":\"Europe/Berlin\",\"hourly_units\":{\"time\":\"iso8601\",\"t\":\"°C\"},"
          + "\"hourly\":{\"time\":[\"2024-01-01T00:00\",\"2024-01-01T01:00\"],\"t\":[1.5,null]},"
          + "\"daily_units\":{\"t_max\":\"°C\"},"
          + "\"daily\":{\"time\":[\"2024-01-01\"],\"t_max\":[4]}}";

  /** Answers each reader must take the same way: the token reader by handing them to the tree. */
  private static final List<String> MALFORMED =
      List.of(
          "",
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"time\":[\"2024-01-01T00:00\"",
          "not json",
          "{\"error\":true,\"reason\":\"Cannot initialize WeatherVariable\"}",
          "[{\"error\":\"no data\"}]",
          "{\"latitude\":52.5}",
          "[1]",
          "\"text\"",
          "[]",
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"t\":[1.0]}}",
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"time\":\"2024-01-01T00:00\"}}",
          // a column shorter than its times, a value as text, a value that is no number
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"time\":[\"2024-01-01T00:00\","
              + "\"2024-01-01T01:00\"],\"t\":[1.0]}}",
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"time\":[\"2024-01-01T00:00\"],"
              + "\"t\":[\" 1.5 \"],\"w\":[\"n/a\"]}}",
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"time\":[\"2024-01-01T00:00\"],"
              + "\"t\":[true],\"w\":[{\"v\":1}]}}",
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"time\":[\"2024-01-01T00:00\"],"
              + "\"t\":5}}",
          // invalid times and dates, a time that is no text, a time with seconds and a fraction
          "{\"latitude\":52.5,\"longitude\":13.4,\"timezone\":\"GMT\",\"hourly\":{\"time\":"
              + "[\"2024-02-30T00:00\",\"2024-01-01T24:00\",\"2024-1-01T00:00\",null,true,"
              + "\"2024-01-01T00:00:30.5\",\" 2024-01-01T05:00 \"],"
              + "\"t\":[1,2,3,4,5,6,7]},\"daily\":{\"time\":[\"2024-02-30\",\"2024-02-29\","
              + "1704067200,\"x\"],\"t\":[1,2,3,4]}}",
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"time\":[1.7e9],\"t\":[1]}}",
          // names given twice, null blocks and units, odd fields
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":{\"time\":[\"2024-01-01T00:00\"],"
              + "\"t\":[1],\"t\":[2]}}",
          "{\"latitude\":52.5,\"latitude\":1,\"longitude\":13.4}",
          "{\"latitude\":52.5,\"longitude\":13.4,\"hourly\":null,\"daily_units\":null,"
              + "\"daily\":{\"time\":[\"2024-01-01\"],\"t\":[1]}}",
          "{\"latitude\":\"52.5\",\"longitude\":13.4,\"utc_offset_seconds\":\"3600\","
              + "\"timezone\":\"Mars/Base\",\"hourly_units\":{\"t\":7},"
              + "\"hourly\":{\"time\":[\"2024-01-01T00:00\"],\"t\":[1]}}",
          "{\"latitude\":52.5,\"longitude\":13.4,\"timezone\":null,\"utc_offset_seconds\":null,"
              + "\"hourly_units\":{\"t\":null},\"hourly\":{\"time\":[1704067200],\"t\":[1]}}");

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theTokenReaderTakesTheFixturesOfPlainAnswersAndLeavesTheOthersToTheTree() throws Exception {
    for (String plain : List.of("single.json", "array.json", "dst-fall-back.json"))
      assertThatCode(() -> OpenMeteoStream.read(OpenMeteoParserTest.fixture(plain)))
          .as(plain)
          .doesNotThrowAnyException();
    assertThatCode(() -> OpenMeteoStream.read(bytes(GOOD))).doesNotThrowAnyException();
    for (String odd : List.of("unixtime.json", "error-reason.json"))
      assertThatThrownBy(() -> OpenMeteoStream.read(OpenMeteoParserTest.fixture(odd)))
          .as(odd)
          .isInstanceOf(OpenMeteoStream.Unusual.class);
  }

  @Test
  void everyFixtureDecodesAsThroughTheTree() throws Exception {
    var fixtures = List.of("single.json", "array.json", "dst-fall-back.json", "unixtime.json");
    for (String name : fixtures) {
      byte[] body = OpenMeteoParserTest.fixture(name);
      assertSame(name, body, List.of());
      assertSame(name, body, List.of(new double[] {1, 2}, new double[] {3, 4}));
    }
    assertSame("plain", bytes(GOOD), ONE);
  }

  @Test
  void malformedAnswersGetTheTreeReadersExceptionsAndDeadLetters() {
    for (String body : MALFORMED) assertSame(body, bytes(body), ONE);
  }

  @Test
  void malformedAnswersFailOrBecomeDeadLettersWithTheReason() {
    var parser = new OpenMeteoParser("run-1", ONE);
    assertThatThrownBy(() -> parser.parse(bytes(MALFORMED.get(1)), FETCHED))
        .isInstanceOf(TransientSourceException.class);
    assertThatThrownBy(() -> parser.parse(bytes(MALFORMED.get(3)), FETCHED))
        .isInstanceOf(SourceErrorException.class)
        .hasMessageContaining("Cannot initialize WeatherVariable");
    assertThatThrownBy(() -> parser.parse(bytes(MALFORMED.get(5)), FETCHED))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("not a forecast");

    ParsedWeather shortColumn = parser.parse(bytes(MALFORMED.get(11)), FETCHED);
    assertThat(shortColumn.hourly()).hasSize(1);
    assertThat(shortColumn.invalid())
        .singleElement()
        .extracting(ParsedWeather.Invalid::error)
        .isEqualTo("t has no value for row 1");

    ParsedWeather times = parser.parse(bytes(MALFORMED.get(15)), FETCHED);
    assertThat(times.hourly())
        .extracting(ParsedWeather.Keyed::key)
        .containsExactly(
            "52.52,13.41,2024-01-01T00:00:30.500Z", "52.52,13.41,2024-01-01T05:00:00Z");
    assertThat(times.daily())
        .extracting(ParsedWeather.Keyed::key)
        .containsExactly("52.52,13.41,2024-02-29", "52.52,13.41,2024-01-01");
    assertThat(times.invalid())
        .extracting(ParsedWeather.Invalid::error)
        .contains(
            "time is not an ISO-8601 local date-time: \"2024-02-30T00:00\"",
            "time is not an ISO-8601 local date-time: null",
            "date is not an ISO-8601 date: \"2024-02-30\"")
        .hasSize(7);
    assertThat(new String(times.invalid().get(0).raw(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"location\":\"52.52,13.41\",\"time\":\"2024-02-30T00:00\",\"values\":{\"t\":1}}");
  }

  @Test
  void aRowIsTheRecordTheBuilderGivesForTheSameFields() {
    ParsedWeather w = new OpenMeteoParser("run-1", ONE).parse(bytes(GOOD), FETCHED);
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("t", 1.5);
    Map<String, String> units = new LinkedHashMap<>();
    units.put("t", "°C");
    var built =
        RecordBuilder.of(RecordType.HOURLY_WEATHER)
            .set("schema_version", JsonRecords.MAX_SCHEMA_VERSION)
            .set("location", Locations.format(52.52, 13.41))
            .set("latitude", 52.52)
            .set("longitude", 13.41)
            .set("timezone", "Europe/Berlin")
            .set("source", OpenMeteoParser.SOURCE)
            .set("fetched_at", FETCHED)
            .set("run_id", "run-1")
            .set("time", Instant.parse("2023-12-31T23:00:00Z"))
            .set("values", values)
            .set("units", units)
            .build();
    assertThat(w.hourly().get(0).record()).isEqualTo(built);
    assertThat(w.hourly().get(0).key()).isEqualTo("52.52,13.41,2023-12-31T23:00:00Z");
    assertThat(w.daily().get(0).record().get("values")).isEqualTo(Map.of("t_max", 4.0));
  }

  @Test
  void localTimesReadByHandAreJavaTimesAnswersAndRejections() {
    var random = new Random(17);
    var zones =
        List.of(
            ZoneId.of("GMT"),
            ZoneId.of("Europe/Berlin"),
            ZoneId.of("Etc/GMT+9"),
            ZoneId.of("America/New_York"));
    for (int i = 0; i < 20_000; i++) {
      String text =
          String.format(
              "%04d-%02d-%02dT%02d:%02d",
              1900 + random.nextInt(200),
              random.nextInt(14),
              random.nextInt(33),
              random.nextInt(26),
              random.nextInt(62));
      ZoneId zone = zones.get(random.nextInt(zones.size()));
      Instant expected;
      try {
        expected = ZonedDateTime.of(LocalDateTime.parse(text), zone).toInstant();
      } catch (DateTimeException e) {
        assertThatThrownBy(() -> WeatherTimes.instant(text, zone, null))
            .as(text)
            .isInstanceOf(DateTimeException.class)
            .hasMessage(e.getMessage());
        continue;
      }
      assertThat(WeatherTimes.instant(text, zone, null)).as(text).isEqualTo(expected);
      String day = text.substring(0, 10);
      assertThat(WeatherTimes.date(day)).as(day).isEqualTo(LocalDate.parse(day));
    }
  }

  /** Both readers give the same records, keys and dead letters, or the same exception. */
  private static void assertSame(String what, byte[] body, List<double[]> requested) {
    var parser = new OpenMeteoParser("run-1", requested);
    ParsedWeather tree;
    try {
      tree = parser.parseTree(body, FETCHED);
    } catch (RuntimeException e) {
      assertThatThrownBy(() -> parser.parse(body, FETCHED))
          .as(what)
          .isInstanceOf(e.getClass())
          .hasMessage(e.getMessage());
      return;
    }
    ParsedWeather stream = parser.parse(body, FETCHED);
    assertThat(stream.hourly()).as(what).isEqualTo(tree.hourly());
    assertThat(stream.daily()).as(what).isEqualTo(tree.daily());
    assertThat(stream.invalid()).as(what).hasSameSizeAs(tree.invalid());
    for (int i = 0; i < tree.invalid().size(); i++) {
      assertThat(stream.invalid().get(i).error()).as(what).isEqualTo(tree.invalid().get(i).error());
      assertThat(stream.invalid().get(i).raw()).as(what).isEqualTo(tree.invalid().get(i).raw());
    }
  }
}
