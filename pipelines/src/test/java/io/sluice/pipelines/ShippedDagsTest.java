package io.sluice.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.InvalidParamException;
import io.sluice.core.model.DagRun;
import io.sluice.core.params.ParamValidator;
import io.sluice.core.testing.TestScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ShippedDagsTest {
  private final Map<String, Map<String, Object>> created = new ConcurrentHashMap<>();
  private final List<Dag> dags =
      new ShippedDags(
              (type, taskId, options) -> {
                created.put(taskId, Map.of("type", type, "options", options));
                return ctx -> null;
              })
          .dags();

  @Test
  void shipsTheSeedsDagsWithTheirOperators() {
    assertThat(dags)
        .extracting(Dag::dagId)
        .containsExactly(
            "user_automation",
            "name_stream_dag",
            "weather_hourly",
            "weather_daily",
            "weather_historic",
            "stream_jobs");
    assertThat(created.get("stream_data_from_api")).containsEntry("type", "http_to_kafka");
    assertThat(created.get("users_stream")).containsEntry("type", "stream");
    assertThat(created.get("weather_stream"))
        .containsEntry("type", "stream")
        .containsEntry("options", Map.of("job", "weather", "start_after", "users"));
    Dag nameStream = dag("name_stream_dag");
    assertThat(nameStream.schedule()).isEqualTo("0 1 * * *");
    assertThat(nameStream.catchup()).isFalse();
    assertThat(nameStream.maxActiveRuns()).isEqualTo(1);
  }

  @Test
  void userAutomationRunsEveryMinuteForTheMinuteJustEnded() {
    Instant start = Instant.parse("2024-03-01T10:00:30Z");
    try (TestScheduler<?> kit = TestScheduler.start(start, dag("user_automation"))) {
      kit.advance(Duration.ofMinutes(3));
      List<DagRun> runs = sorted(kit.runs("user_automation"));
      // no catchup: the first run is for the latest complete minute, then one per minute
      assertThat(runs)
          .extracting(DagRun::dataIntervalStart)
          .containsExactly(
              Instant.parse("2024-03-01T09:59:00Z"),
              Instant.parse("2024-03-01T10:00:00Z"),
              Instant.parse("2024-03-01T10:01:00Z"),
              Instant.parse("2024-03-01T10:02:00Z"));
      assertThat(runs)
          .allSatisfy(
              r -> {
                assertThat(Duration.between(r.dataIntervalStart(), r.dataIntervalEnd()))
                    .isEqualTo(Duration.ofMinutes(1));
                assertThat(r.logicalDate()).isEqualTo(r.dataIntervalStart());
                assertThat(r.state()).isEqualTo(DagRunState.SUCCESS);
              });
    }
  }

  @Test
  void weatherDagsCoverHoursAndDaysAndNameStreamRunsAtOne() {
    Instant start = Instant.parse("2024-03-01T00:30:00Z");
    try (TestScheduler<?> kit =
        TestScheduler.start(
            start, dag("weather_hourly"), dag("weather_daily"), dag("name_stream_dag"))) {
      kit.advance(Duration.ofHours(25));
      List<DagRun> hourly = sorted(kit.runs("weather_hourly"));
      assertThat(hourly).hasSize(26);
      for (int i = 1; i < hourly.size(); i++) {
        assertThat(hourly.get(i).dataIntervalStart())
            .isEqualTo(hourly.get(i - 1).dataIntervalEnd());
      }
      assertThat(sorted(kit.runs("weather_daily")))
          .extracting(DagRun::dataIntervalStart)
          .containsExactly(
              Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("2024-03-01T00:00:00Z"));
      assertThat(sorted(kit.runs("name_stream_dag")))
          .extracting(DagRun::dataIntervalEnd)
          // no catchup: at 00:30 the latest complete interval is the one ending at 01:00 yesterday
          .containsExactly(
              Instant.parse("2024-02-29T01:00:00Z"),
              Instant.parse("2024-03-01T01:00:00Z"),
              Instant.parse("2024-03-02T01:00:00Z"));
    }
  }

  @Test
  void historicWeatherRunsOnlyWhenTriggeredAndStreamJobsOnlyOnce() {
    Instant start = Instant.parse("2024-03-01T00:00:00Z");
    try (TestScheduler<?> kit =
        TestScheduler.start(start, dag("weather_historic"), dag("stream_jobs"))) {
      kit.advance(Duration.ofDays(2));
      assertThat(kit.runs("weather_historic")).isEmpty();
      assertThat(kit.runs("stream_jobs")).hasSize(1);
      DagRun run =
          kit.trigger(
              "weather_historic", "{\"start_date\": \"2023-06-01\", \"end_date\": \"2023-06-30\"}");
      assertThat(run.state()).isEqualTo(DagRunState.SUCCESS);
      assertThat(run.confJson()).contains("2023-06-01");
    }
  }

  @Test
  void historicWeatherRefusesRangesOpenMeteoCannotServe() {
    Instant now = Instant.parse("2024-03-01T00:00:00Z");
    Dag historic = dag("weather_historic");
    assertThat(refused(historic, "{\"start_date\": \"2024-13-45\"}", now)).isEqualTo("start_date");
    assertThat(
            refused(
                historic, "{\"start_date\": \"1939-12-31\", \"end_date\": \"1940-01-02\"}", now))
        .isEqualTo("start_date");
    assertThat(
            refused(
                historic, "{\"start_date\": \"2024-02-10\", \"end_date\": \"2024-02-01\"}", now))
        .isEqualTo("end_date");
    assertThat(
            refused(
                historic, "{\"start_date\": \"2024-03-01\", \"end_date\": \"2024-03-18\"}", now))
        .isEqualTo("end_date");
    assertThat(
            ParamValidator.validate(
                historic,
                "{\"start_date\": \"2024-03-01\", \"end_date\": \"2024-03-17\"}",
                null,
                now))
        .containsEntry("end_date", "2024-03-17");
  }

  private static String refused(Dag dag, String conf, Instant now) {
    try {
      ParamValidator.validate(dag, conf, null, now);
    } catch (InvalidParamException e) {
      return e.param();
    }
    throw new AssertionError("accepted " + conf);
  }

  private Dag dag(String id) {
    return dags.stream().filter(d -> d.dagId().equals(id)).findFirst().orElseThrow();
  }

  private static List<DagRun> sorted(List<DagRun> runs) {
    var copy = new ArrayList<>(runs);
    copy.sort(Comparator.comparing(DagRun::logicalDate));
    return copy;
  }
}
