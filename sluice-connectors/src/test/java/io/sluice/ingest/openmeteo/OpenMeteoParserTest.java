package io.sluice.ingest.openmeteo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.record.DailyWeather;
import io.sluice.ingest.record.HourlyWeather;
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

  @Test
  void singleObjectWithLocalTimesUnitsAndNulls() throws IOException {
    ParsedWeather w = parse("single.json", new double[] {52.52, 13.41});

    assertThat(w.hourly()).hasSize(3);
    HourlyWeather first = w.hourly().get(0);
    assertThat(first.time()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
    assertThat(first.location()).isEqualTo("52.52,13.41");
    assertThat(first.longitude()).isEqualTo(13.41);
    assertThat(first.timezone()).isEqualTo("Europe/Berlin");
    assertThat(first.values())
        .containsEntry("temperature_2m", 1.5)
        .containsEntry("precipitation", 0.0);
    assertThat(first.units())
        .containsEntry("temperature_2m", "°C")
        .containsEntry("precipitation", "mm");
    assertThat(w.hourly().get(2).values()).containsEntry("temperature_2m", null);
    assertThat(first.key()).isEqualTo("52.52,13.41,2023-12-31T23:00:00Z");
    DailyWeather day = w.daily().get(0);
    assertThat(day.date()).isEqualTo(LocalDate.parse("2024-01-01"));
    assertThat(day.values()).containsEntry("temperature_2m_max", 4.3);
    assertThat(day.runId()).isEqualTo("run-1");
    assertThat(w.invalid()).isEmpty();
  }

  @Test
  void arrayOfLocationsWithEtcGmtPlus9AndUnitsPerLocation() throws IOException {
    ParsedWeather w =
        parse("array.json", new double[] {35.68, 139.69}, new double[] {-33.87, 151.21});

    assertThat(w.hourly()).hasSize(4);
    HourlyWeather tokyo = w.hourly().get(0);
    assertThat(tokyo.location()).isEqualTo("35.68,139.69");
    // Etc/GMT+9 is nine hours behind UTC
    assertThat(tokyo.time()).isEqualTo(Instant.parse("2024-06-01T09:00:00Z"));
    HourlyWeather sydney = w.hourly().get(2);
    assertThat(sydney.location()).isEqualTo("-33.87,151.21");
    assertThat(sydney.time()).isEqualTo(Instant.parse("2024-06-01T00:00:00Z"));
    assertThat(sydney.values()).containsEntry("temperature_2m", null);
    assertThat(sydney.units()).containsEntry("temperature_2m", "°F");
  }

  @Test
  void unixTimesAndANonNumericValueGoToInvalidWithTheReason() throws IOException {
    ParsedWeather w = parse("unixtime.json", new double[] {40.71, -74.01});

    assertThat(w.hourly()).hasSize(1);
    assertThat(w.hourly().get(0).time()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(w.invalid()).hasSize(1);
    assertThat(w.invalid().get(0).error()).contains("wind_speed_10m is not a number");
    assertThat(new String(w.invalid().get(0).raw())).contains("n/a");
  }

  @Test
  void theRepeatedHourWhenClocksGoBackGetsDistinctInstants() throws IOException {
    ParsedWeather w = parse("dst-fall-back.json", new double[] {52.52, 13.41});

    assertThat(w.hourly().stream().map(HourlyWeather::time))
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
