package io.sluice.ingest.openmeteo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.source.SourceErrorException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenMeteoParserTest {
  private static final Instant FETCHED = Instant.parse("2024-06-02T00:00:00Z");

  static byte[] fixture(String name) throws IOException {
    try (InputStream in =
        OpenMeteoParserTest.class.getResourceAsStream("/fixtures/openmeteo/" + name)) {
      if (in == null) throw new IOException("missing fixture " + name);
      return in.readAllBytes();
    }
  }

  private static ParsedWeather parse(String fixture, double[]... requested) throws IOException {
    return new OpenMeteoParser("run-1", List.of(requested)).parse(fixture(fixture), FETCHED);
  }

  private static Instant time(ParsedWeather.Keyed hour) {
    return Instant.ofEpochMilli((Long) hour.record().get("time"));
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> map(ParsedWeather.Keyed row, String field) {
    return (java.util.Map<String, Object>) row.record().get(field);
  }

  @Test
  void singleObjectWithLocalTimesUnitsAndNulls() throws IOException {
    ParsedWeather w = parse("single.json", new double[] {52.52, 13.41});

    assertThat(w.hourly()).hasSize(3);
    ParsedWeather.Keyed first = w.hourly().get(0);
    assertThat(time(first)).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
    assertThat(first.record().get("location")).isEqualTo("52.52,13.41");
    assertThat(first.record().get("longitude")).isEqualTo(13.41);
    assertThat(first.record().get("timezone")).isEqualTo("Europe/Berlin");
    assertThat(map(first, "values"))
        .containsEntry("temperature_2m", 1.5)
        .containsEntry("precipitation", 0.0);
    assertThat(map(first, "units"))
        .containsEntry("temperature_2m", "°C")
        .containsEntry("precipitation", "mm");
    assertThat(map(w.hourly().get(2), "values")).containsEntry("temperature_2m", null);
    assertThat(first.key()).isEqualTo("52.52,13.41,2023-12-31T23:00:00Z");
    ParsedWeather.Keyed day = w.daily().get(0);
    assertThat(day.record().get("date"))
        .isEqualTo((int) LocalDate.parse("2024-01-01").toEpochDay());
    assertThat(day.key()).isEqualTo("52.52,13.41,2024-01-01");
    assertThat(map(day, "values")).containsEntry("temperature_2m_max", 4.3);
    assertThat(day.record().get("run_id")).isEqualTo("run-1");
    assertThat(w.invalid()).isEmpty();
  }

  @Test
  void arrayOfLocationsWithEtcGmtPlus9AndUnitsPerLocation() throws IOException {
    ParsedWeather w =
        parse("array.json", new double[] {35.68, 139.69}, new double[] {-33.87, 151.21});

    assertThat(w.hourly()).hasSize(4);
    ParsedWeather.Keyed tokyo = w.hourly().get(0);
    assertThat(tokyo.record().get("location")).isEqualTo("35.68,139.69");
    // Etc/GMT+9 is nine hours behind UTC
    assertThat(time(tokyo)).isEqualTo(Instant.parse("2024-06-01T09:00:00Z"));
    ParsedWeather.Keyed sydney = w.hourly().get(2);
    assertThat(sydney.record().get("location")).isEqualTo("-33.87,151.21");
    assertThat(time(sydney)).isEqualTo(Instant.parse("2024-06-01T00:00:00Z"));
    assertThat(map(sydney, "values")).containsEntry("temperature_2m", null);
    assertThat(map(sydney, "units")).containsEntry("temperature_2m", "°F");
  }

  @Test
  void unixTimesAndANonNumericValueGoToInvalidWithTheReason() throws IOException {
    ParsedWeather w = parse("unixtime.json", new double[] {40.71, -74.01});

    assertThat(w.hourly()).hasSize(1);
    assertThat(time(w.hourly().get(0))).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(w.invalid()).hasSize(1);
    assertThat(w.invalid().get(0).error()).contains("wind_speed_10m is not a number");
    assertThat(new String(w.invalid().get(0).raw())).contains("n/a");
  }

  @Test
  void theRepeatedHourWhenClocksGoBackGetsDistinctInstants() throws IOException {
    ParsedWeather w = parse("dst-fall-back.json", new double[] {52.52, 13.41});

    assertThat(w.hourly().stream().map(OpenMeteoParserTest::time))
        .containsExactly(
            Instant.parse("2024-10-26T23:00:00Z"),
            Instant.parse("2024-10-27T00:00:00Z"),
            Instant.parse("2024-10-27T01:00:00Z"),
            Instant.parse("2024-10-27T02:00:00Z"));
  }

  @Test
  void errorReasonBodyBecomesAClearError() {
    assertThatThrownBy(() -> parse("error-reason.json"))
        .isInstanceOf(SourceErrorException.class)
        .hasMessageContaining("open-meteo answered with an error")
        .hasMessageContaining("invalid String value tempeture_2m");
  }
}
