package io.sluice.pipelines;

import io.sluice.api.Dag;
import io.sluice.api.DagProvider;
import io.sluice.api.InvalidParamException;
import io.sluice.api.Param;
import io.sluice.core.tasks.TaskTypeRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The pipelines of the seed documents as compiled DAGs:
 *
 * <ul>
 *   <li>{@code user_automation} (seed 000): every minute, users from the Random User API into
 *       {@code users_created};
 *   <li>{@code name_stream_dag} (seed 003): daily at 01:00, no catchup, one active run;
 *   <li>{@code weather_hourly} and {@code weather_daily} (seed 004): Open-Meteo for their data
 *       interval, locations from the Variables {@code latitudes} and {@code longitudes};
 *   <li>{@code weather_historic} (seed 004): manual, over the params {@code start_date} and {@code
 *       end_date};
 *   <li>{@code stream_jobs}: the {@code users} and {@code weather} Spark Structured Streaming jobs
 *       as {@code stream} service tasks, started once and kept alive.
 * </ul>
 */
public final class ShippedDags implements DagProvider {
  /** Berlin, London, New York: used when the Variables are not set. */
  static final String DEFAULT_LATITUDES = "52.52,51.51,40.71";

  static final String DEFAULT_LONGITUDES = "13.41,-0.13,-74.01";
  static final LocalDate START = LocalDate.of(2024, 1, 1);

  /** The first day Open-Meteo has weather for (its ERA5 archive). */
  static final LocalDate OPEN_METEO_FIRST_DAY = LocalDate.of(1940, 1, 1);

  /** How far ahead Open-Meteo forecasts. */
  static final int OPEN_METEO_FORECAST_DAYS = 16;

  private final TaskFactory tasks;

  /** For ServiceLoader: tasks from the task types on the class path. */
  public ShippedDags() {
    this(TaskFactory.fromRegistry(TaskTypeRegistry.load()));
  }

  public ShippedDags(TaskFactory tasks) {
    this.tasks = tasks;
  }

  @Override
  public List<Dag> dags() {
    return List.of(
        userAutomation(),
        nameStream(),
        weather("weather_hourly", "@hourly", "hourly"),
        weather("weather_daily", "@daily", "daily"),
        weatherHistoric(),
        streamJobs());
  }

  private Dag userAutomation() {
    var b =
        Dag.builder("user_automation")
            .description("Random users into Kafka every minute (seed 000)")
            .schedule("* * * * *")
            .startDate(START)
            .catchup(false)
            .maxActiveRuns(1)
            .defaultRetries(3, Duration.ofSeconds(10))
            .tags("users", "ingest");
    b.task(
        "stream_data_from_api",
        tasks.create(
            "http_to_kafka", "stream_data_from_api", Map.of("source", "randomuser", "count", 100)));
    return b.build();
  }

  private Dag nameStream() {
    var b =
        Dag.builder("name_stream_dag")
            .description("A daily batch of users, post codes hashed (seed 003)")
            .schedule("0 1 * * *")
            .startDate(START)
            .catchup(false)
            .maxActiveRuns(1)
            .defaultRetries(3, Duration.ofMinutes(1))
            .tags("users", "ingest");
    b.task(
        "stream_to_kafka",
        tasks.create(
            "http_to_kafka", "stream_to_kafka", Map.of("source", "randomuser", "count", 1000)));
    return b.build();
  }

  private Dag weather(String dagId, String schedule, String granularity) {
    var b =
        Dag.builder(dagId)
            .description("Open-Meteo " + granularity + " weather for its data interval (seed 004)")
            .schedule(schedule)
            .startDate(START)
            .catchup(false)
            .maxActiveRuns(1)
            .defaultRetries(3, Duration.ofSeconds(30))
            .tags("weather", "ingest");
    b.task(
        "produce_" + granularity,
        tasks.create(
            "http_to_kafka",
            "produce_" + granularity,
            Map.of(
                "source",
                "openmeteo",
                granularity,
                granularity.equals("hourly")
                    ? "temperature_2m,relative_humidity_2m,precipitation,wind_speed_10m"
                    : "temperature_2m_max,temperature_2m_min,precipitation_sum",
                "default_latitudes",
                DEFAULT_LATITUDES,
                "default_longitudes",
                DEFAULT_LONGITUDES)));
    return b.build();
  }

  private Dag weatherHistoric() {
    var b =
        Dag.builder("weather_historic")
            .description("Open-Meteo hourly and daily weather over a date range (seed 004)")
            .schedule(null)
            .startDate(START)
            .catchup(false)
            .param(
                Param.date("start_date")
                    .defaultValue("2024-01-01")
                    .minimum(OPEN_METEO_FIRST_DAY.toString())
                    .description("first day, from " + OPEN_METEO_FIRST_DAY)
                    .build())
            .param(
                Param.date("end_date")
                    .defaultValue("2024-01-07")
                    .minimum(OPEN_METEO_FIRST_DAY.toString())
                    .description(
                        "last day, not before start_date, at most "
                            + OPEN_METEO_FORECAST_DAYS
                            + " days ahead")
                    .build())
            .paramCheck(ShippedDags::historicRange)
            .defaultRetries(3, Duration.ofSeconds(30))
            .tags("weather", "backfill");
    b.task(
        "produce_historic",
        tasks.create(
            "http_to_kafka",
            "produce_historic",
            Map.of(
                "source", "openmeteo",
                "start_date", "{{ params.start_date }}",
                "end_date", "{{ params.end_date }}",
                "default_latitudes", DEFAULT_LATITUDES,
                "default_longitudes", DEFAULT_LONGITUDES)));
    return b.build();
  }

  /**
   * Open-Meteo's limits: weather from its first archived day up to the end of its forecast, and an
   * end date not before the start date.
   */
  static void historicRange(Map<String, Object> params, Instant now) {
    LocalDate from = LocalDate.parse(String.valueOf(params.get("start_date")));
    LocalDate to = LocalDate.parse(String.valueOf(params.get("end_date")));
    if (to.isBefore(from))
      throw new InvalidParamException(
          "end_date", to + " is before start_date " + from + "; use a range forwards in time");
    LocalDate last = LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(OPEN_METEO_FORECAST_DAYS);
    if (to.isAfter(last))
      throw new InvalidParamException(
          "end_date",
          to
              + " is after "
              + last
              + ": Open-Meteo forecasts at most "
              + OPEN_METEO_FORECAST_DAYS
              + " days ahead");
  }

  private Dag streamJobs() {
    var b =
        Dag.builder("stream_jobs")
            .description("The users and weather Spark Structured Streaming jobs, kept alive")
            .schedule("@once")
            .startDate(START)
            .catchup(false)
            // why: a stream task only ends when stopped; a new try re-attaches to its job
            .defaultRetries(1_000_000, Duration.ofSeconds(5))
            .tags("stream", "spark");
    b.task("users_stream", tasks.create("stream", "users_stream", Map.of("job", "users")));
    // why: on a small machine the users job reaches its first batch sooner when it starts alone
    b.task(
        "weather_stream",
        tasks.create("stream", "weather_stream", Map.of("job", "weather", "start_after", "users")));
    return b.build();
  }
}
