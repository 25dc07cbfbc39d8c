package io.sluice.connectors.operator;

import io.sluice.api.Connection;
import io.sluice.api.Task;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.KafkaHook;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.IngestSummary;
import io.sluice.ingest.UserIngest;
import io.sluice.ingest.WeatherIngest;
import io.sluice.records.RecordFormat;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type: http_to_kafka}: the exactly-once ingest of one data interval from a REST source into
 * Kafka.
 *
 * <p>{@code source: randomuser} fetches {@code count} users (default 100). The seed is derived from
 * the DAG and the logical date, so a retried try resumes where the failed one stopped instead of
 * minting new users.
 *
 * <p>{@code source: openmeteo} fetches weather for {@code latitudes} and {@code longitudes}
 * (comma-separated; default the Variables of those names, as in seed 004, then {@code
 * default_latitudes} and {@code default_longitudes}), {@code hourly} and {@code daily} variables
 * (same), over the run's data interval, or {@code start_date}..{@code end_date} (rendered, so
 * {@code "{{ params.start_date }}"} works) for a historic backfill.
 *
 * <p>Topics default to the configured ones; {@code topic} (users), {@code hourly_topic} and {@code
 * daily_topic} override them; {@code format: json} writes readable JSON instead of Avro ({@code
 * topics.format}). The Kafka connection is {@code kafka_conn_id} (default {@code kafka_default});
 * the source URL comes from {@code http_conn_id} (default {@code randomuser_default} / {@code
 * openmeteo_default}). The XCom is the summary: fetched, published, dlq, retries, seconds.
 */
public final class HttpToKafkaTaskType implements TaskType {
  @Override
  public String name() {
    return "http_to_kafka";
  }

  @Override
  public Task create(TaskOptions options) {
    String source = Options.oneOf(options, "source", null, "randomuser", "openmeteo");
    String kafkaConn = options.string("kafka_conn_id").orElse(DefaultConnections.KAFKA);
    var topic = options.string("topic");
    var hourlyTopic = options.string("hourly_topic");
    var dailyTopic = options.string("daily_topic");
    RecordFormat format = options.string("format").map(RecordFormat::parse).orElse(null);
    if (source.equals("randomuser")) {
      int count = Options.positiveInt(options, "count", 100);
      int batch = Options.positiveInt(options, "batch", 5000);
      var nat = options.string("nat");
      String httpConn = options.string("http_conn_id").orElse(DefaultConnections.RANDOMUSER);
      return ctx -> {
        SluiceConfig config =
            topic(
                ctx,
                config(ctx, kafkaConn, httpConn, Settings.RANDOMUSER_URL),
                Settings.USERS_TOPIC,
                "topic",
                topic);
        var builder =
            UserIngest.builder(config)
                .count(count)
                .batch(batch)
                .seed(ctx.dagId() + "-" + ctx.logicalDate().getEpochSecond())
                .runId(ctx.runId())
                .format(format);
        nat.map(n -> ctx.render("nat", n)).ifPresent(builder::nat);
        return summary(ctx, builder.build().run());
      };
    }
    var latitudes = options.string("latitudes");
    var longitudes = options.string("longitudes");
    var defaultLatitudes = options.string("default_latitudes");
    var defaultLongitudes = options.string("default_longitudes");
    var hourly = options.string("hourly");
    var daily = options.string("daily");
    var startDate = options.string("start_date");
    var endDate = options.string("end_date");
    if (startDate.isPresent() != endDate.isPresent())
      throw new IllegalArgumentException(
          "task '" + options.taskId() + "' needs both 'start_date' and 'end_date', or neither");
    String httpConn = options.string("http_conn_id").orElse(DefaultConnections.OPENMETEO);
    return ctx -> {
      SluiceConfig config = config(ctx, kafkaConn, httpConn, Settings.OPENMETEO_URL);
      config = topic(ctx, config, Settings.HOURLY_DATA_TOPIC, "hourly_topic", hourlyTopic);
      config = topic(ctx, config, Settings.DAILY_DATA_TOPIC, "daily_topic", dailyTopic);
      LocalDate from;
      LocalDate to;
      if (startDate.isPresent()) {
        from = LocalDate.parse(ctx.render("start_date", startDate.get()).trim());
        to = LocalDate.parse(ctx.render("end_date", endDate.get()).trim());
      } else {
        from = LocalDate.ofInstant(ctx.dataIntervalStart(), ZoneOffset.UTC);
        // why: the interval is [start, end); its last day is the one before an end at midnight
        to = LocalDate.ofInstant(ctx.dataIntervalEnd().minusNanos(1), ZoneOffset.UTC);
        if (to.isBefore(from)) to = from;
      }
      var builder =
          WeatherIngest.builder(config)
              .locations(
                  doubles(setting(ctx, latitudes, "latitudes", defaultLatitudes)),
                  doubles(setting(ctx, longitudes, "longitudes", defaultLongitudes)))
              .range(from, to)
              .runId(ctx.runId())
              .format(format);
      optionalSetting(ctx, hourly, "hourly")
          .map(HttpToKafkaTaskType::list)
          .ifPresent(builder::hourly);
      optionalSetting(ctx, daily, "daily").map(HttpToKafkaTaskType::list).ifPresent(builder::daily);
      ctx.log().info("weather for {} .. {}", from, to);
      return summary(ctx, builder.build().run());
    };
  }

  /** The process configuration, pointed at the task's Kafka and source connections. */
  private static SluiceConfig config(
      TaskContext ctx,
      String kafkaConn,
      String httpConn,
      io.sluice.core.config.ConfigKey<String> urlKey) {
    Connection kafka = Options.connection(ctx, kafkaConn);
    Connection http = Options.connection(ctx, httpConn);
    String url =
        http.extra("url")
            .orElse("http://" + http.host() + (http.port() == null ? "" : ":" + http.port()));
    return SluiceConfig.load()
        .with(
            Settings.KAFKA_BOOTSTRAP,
            KafkaHook.of(kafka).bootstrapServers(),
            "connection " + kafkaConn)
        .with(urlKey, url, "connection " + httpConn);
  }

  private static SluiceConfig topic(
      TaskContext ctx,
      SluiceConfig config,
      io.sluice.core.config.ConfigKey<String> key,
      String field,
      Optional<String> option) {
    return option.map(t -> config.with(key, ctx.render(field, t), "task option")).orElse(config);
  }

  private static String setting(
      TaskContext ctx, Optional<String> option, String variable, Optional<String> fallback) {
    return optionalSetting(ctx, option, variable)
        .or(() -> fallback)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no '"
                        + variable
                        + "' option and no Variable '"
                        + variable
                        + "' (set it with `sluice variables set "
                        + variable
                        + " ...`)"));
  }

  private static Optional<String> optionalSetting(
      TaskContext ctx, Optional<String> option, String variable) {
    return option
        .map(v -> ctx.render(variable, v))
        .or(() -> ctx.variable(variable))
        .filter(s -> !s.isBlank());
  }

  private static List<String> list(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static List<Double> doubles(String csv) {
    return list(csv).stream().map(Double::valueOf).toList();
  }

  private static Map<String, Object> summary(TaskContext ctx, IngestSummary s) {
    ctx.log()
        .info(
            "fetched {}, published {}, dlq {}, retries {}, {} s",
            s.fetched(),
            s.published(),
            s.dlq(),
            s.retries(),
            s.duration().toMillis() / 1000.0);
    var m = new LinkedHashMap<String, Object>();
    m.put("run_id", s.runId());
    m.put("fetched", s.fetched());
    m.put("published", s.published());
    m.put("dlq", s.dlq());
    m.put("retries", s.retries());
    m.put("seconds", s.duration().toMillis() / 1000.0);
    return m;
  }
}
