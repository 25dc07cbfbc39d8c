package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.Headers;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.source.SourceErrorException;
import io.sluice.ingest.source.SourcePolicy;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.local.simulator.ApiSimulator;
import io.sluice.local.simulator.Faults;
import io.sluice.records.RecordType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = {Service.KAFKA, Service.API_SIMULATOR})
class WeatherIngestIT {
  private static final SourcePolicy FAST =
      SourcePolicy.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
  private final LocalStack stack;
  private final SluiceConfig config;

  WeatherIngestIT(LocalStack stack) {
    this.stack = stack;
    this.config = stack.config();
  }

  @AfterEach
  void noFaults() {
    stack.simulator().setFaults(Faults.none());
  }

  private List<ConsumerRecord<byte[], byte[]>> of(String topic, String runId) {
    return TopicContents.read(KafkaSettings.bootstrap(config), topic).stream()
        .filter(r -> runId.equals(Headers.get(r.headers(), Headers.RUN_ID)))
        .toList();
  }

  @Test
  void backfillIsChunkedByLocationsAndDatesAndPublishesEveryHourAndDayOnce() {
    stack
        .simulator()
        .setFaults(
            ApiSimulator.Api.OPEN_METEO, Faults.mixed(0.2, 11).withRetryAfter(Duration.ZERO));
    IngestSummary summary =
        WeatherIngest.builder(config)
            .locations(List.of(52.52, 48.85, 35.68), List.of(13.41, 2.35, 139.69))
            .hourly(List.of("temperature_2m", "precipitation"))
            .daily(List.of("temperature_2m_max"))
            .timezone("Europe/Berlin")
            .range(LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-10"))
            .locationsPerRequest(2)
            .daysPerRequest(4)
            .policy(FAST)
            .build()
            .run();

    List<ConsumerRecord<byte[], byte[]>> hourly =
        of(config.get(Settings.HOURLY_DATA_TOPIC), summary.runId());
    List<ConsumerRecord<byte[], byte[]>> daily =
        of(config.get(Settings.DAILY_DATA_TOPIC), summary.runId());
    assertThat(hourly).hasSize(3 * 10 * 24);
    assertThat(daily).hasSize(3 * 10);
    assertThat(summary.published()).isEqualTo(3 * 10 * 25);
    assertThat(hourly.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).distinct())
        .hasSize(720);
    Decoded first =
        hourly.stream()
            .map(r -> Decoded.of(r.value(), RecordType.HOURLY_WEATHER))
            .filter(h -> h.text("location").equals("35.68,139.69"))
            .min(java.util.Comparator.comparing(h -> h.instant("time")))
            .orElseThrow();
    assertThat(first.instant("time")).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
    assertThat(first.map("units")).containsEntry("temperature_2m", "°C");
    assertThat(first.map("values")).containsKeys("temperature_2m", "precipitation");
    Decoded day = Decoded.of(daily.get(0).value(), RecordType.DAILY_WEATHER);
    assertThat(day.date("date"))
        .isBetween(LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-10"));
    assertThat(new String(daily.get(0).key(), StandardCharsets.UTF_8))
        .isEqualTo(day.text("location") + "," + day.date("date"));
  }

  @Test
  void anUnknownVariableFailsWithTheApisReasonAndPublishesNothing() {
    WeatherIngest ingest =
        WeatherIngest.builder(config)
            .locations(List.of(new double[] {52.52, 13.41}))
            .hourly(List.of("temperature_2m", "tempeture_2m"))
            .policy(FAST)
            .build();

    assertThatThrownBy(ingest::run)
        .isInstanceOf(SourceErrorException.class)
        .hasMessageContaining("open-meteo answered with an error (HTTP 400)")
        .hasMessageContaining("tempeture_2m");
    assertThat(of(config.get(Settings.HOURLY_DATA_TOPIC), ingest.runId())).isEmpty();
  }
}
