package io.sluice.spark.weather;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.Checkpoints;
import io.sluice.spark.JobCounters;
import io.sluice.spark.JobSettings;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.Lake;
import io.sluice.spark.Provisioning;
import io.sluice.spark.StreamJob;
import io.sluice.spark.sink.CassandraSessions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weather}: the hourly topic to {@code analytics.hourlydata} (by location and time), the
 * daily topic to {@code analytics.dailydata} (by location and date), a per-day aggregate of the
 * hourly rows to {@code analytics.daily_aggregates}, and Parquet copies of both topics under {@code
 * lake/weather/kind=hourly|daily/date=...}.
 */
public final class WeatherJob implements StreamJob {
  private static final Logger log = LoggerFactory.getLogger(WeatherJob.class);
  public static final String NAME = "weather";
  private static final java.time.Duration FIRST_BATCH_WAIT = java.time.Duration.ofSeconds(90);
  private static final long MAX_OFFSETS_PER_TRIGGER = 200_000;

  private final SluiceConfig config;
  private final JobSettings settings;
  private JobCounters counters;
  private CompletableFuture<Void> sinkProvisioned;

  public WeatherJob(SluiceConfig config) {
    this.config = config;
    this.settings = JobSettings.of(NAME, config);
  }

  @Override
  public String name() {
    return NAME;
  }

  private String topics() {
    return config.get(Settings.HOURLY_DATA_TOPIC) + "," + config.get(Settings.DAILY_DATA_TOPIC);
  }

  @Override
  public void provision() {
    Provisioning.topics(
        config,
        config.get(Settings.HOURLY_DATA_TOPIC),
        config.get(Settings.DAILY_DATA_TOPIC),
        settings.dlqTopic());
    Provisioning.bucket(config);
  }

  @Override
  public void provisionSink() {
    WeatherSink.createTables(CassandraSessions.get(settings), settings);
  }

  @Override
  public void prepare(SparkSession spark, CompletableFuture<Void> sinkProvisioned) {
    this.sinkProvisioned = sinkProvisioned;
    counters =
        new JobCounters(
            spark.sparkContext(),
            settings.hourlyTable(),
            settings.dailyTable(),
            settings.dailyAggregateTable());
  }

  @Override
  public List<StreamingQuery> start(
      SparkSession spark, Checkpoints checkpoints, Trigger sinkTrigger, Trigger lakeTrigger)
      throws TimeoutException {
    List<StreamingQuery> queries = new ArrayList<>();
    queries.add(
        parse(KafkaInput.stream(spark, settings, topics(), MAX_OFFSETS_PER_TRIGGER))
            .writeStream()
            .queryName("weather-cassandra")
            .option("checkpointLocation", checkpoints.of(NAME, "cassandra"))
            .trigger(sinkTrigger)
            .foreachBatch(new WeatherSink(settings, counters, sinkProvisioned))
            .start());
    // why: the lake query's start (S3A, the file sink) competes for the same cores as the first
    // Cassandra batch; started after it, the first rows reach Cassandra sooner
    StreamJob.awaitFirstBatch(queries.get(0), FIRST_BATCH_WAIT);
    queries.add(
        Lake.write(
            lakeRows(
                parse(
                    KafkaInput.stream(
                        spark, settings, topics(), MAX_OFFSETS_PER_TRIGGER, Lake.IDLE_WAIT))),
            "weather-lake",
            Lake.path(config, "weather"),
            checkpoints.of(NAME, "lake"),
            lakeTrigger,
            "kind",
            "date"));
    return queries;
  }

  @Override
  public void backfill(SparkSession spark, Instant from, Instant to) {
    LocalDate fromDate = LocalDate.ofInstant(from, ZoneOffset.UTC);
    LocalDate toDate = LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
    Dataset<Row> rows =
        parse(KafkaInput.batch(spark, settings, topics()))
            .where(
                col("error_stage")
                    .isNull()
                    .and(
                        col("kind")
                            .equalTo(WeatherRows.HOURLY)
                            .and(col("time").geq(lit(from)))
                            .and(col("time").lt(lit(to)))
                            .or(
                                col("kind")
                                    .equalTo(WeatherRows.DAILY)
                                    .and(col("date").geq(lit(fromDate)))
                                    .and(col("date").leq(lit(toDate))))));
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      String path = Lake.backfillPath(config, NAME, from, to);
      long lake = Lake.writeBackfill(lakeRows(rows), path, "kind", "date");
      counters.add(JobCounters.LAKE, lake);
      log.info("backfill wrote {} weather records to {}", lake, path);
      new WeatherSink(settings, counters, sinkProvisioned).call(rows, -1L);
    } finally {
      rows.unpersist();
    }
  }

  @Override
  public Map<String, Long> counts() {
    return counters.snapshot();
  }

  Dataset<Row> parse(Dataset<Row> kafka) {
    WeatherRows rows = new WeatherRows(config.get(Settings.HOURLY_DATA_TOPIC), settings);
    return kafka.mapPartitions(rows, Encoders.row(rows.schema()));
  }

  /** Valid records, with the lake's columns ({@link WeatherRows#lakeColumns}). */
  static Dataset<Row> lakeRows(Dataset<Row> parsed) {
    List<Column> columns = new ArrayList<>();
    for (String c : WeatherRows.lakeColumns(parsed.schema())) columns.add(col(c));
    return parsed.where(col("error_stage").isNull()).select(columns.toArray(Column[]::new));
  }
}
