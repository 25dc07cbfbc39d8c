package io.sluice.spark.users;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

import com.datastax.oss.driver.api.core.CqlSession;
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
import org.apache.spark.sql.execution.streaming.RealTimeTrigger;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code users}: {@code users_created} to Cassandra {@code spark_streams.created_users} (upsert by
 * id) and to Parquet under {@code lake/users/}, partitioned by ingest date (the UTC date of the
 * Kafka record). Malformed and invalid records go to the dead-letter topic. With {@code spark.mode:
 * realtime} the Cassandra query runs in Spark's real-time mode ({@link UsersRealtimeSink}); the
 * lake query stays micro-batch.
 */
public final class UsersJob implements StreamJob {
  public static final String NAME = "users";
  private static final java.time.Duration FIRST_BATCH_WAIT = java.time.Duration.ofSeconds(90);
  private static final long MAX_OFFSETS_PER_TRIGGER = 200_000;
  private static final Logger log = LoggerFactory.getLogger(UsersJob.class);

  private final SluiceConfig config;
  private final JobSettings settings;
  private JobCounters counters;
  private CompletableFuture<Void> sinkProvisioned;

  public UsersJob(SluiceConfig config) {
    this.config = config;
    this.settings = JobSettings.of(NAME, config);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supportsRealtime() {
    return true;
  }

  @Override
  public void provision() {
    Provisioning.topics(config, config.get(Settings.USERS_TOPIC), settings.dlqTopic());
    Provisioning.bucket(config);
  }

  @Override
  public void provisionSink() {
    CqlSession session = CassandraSessions.get(settings);
    UsersSink.createTable(session, settings);
    // why: the first batch's partitions would each prepare the insert, make the dead-letter
    // producer and fetch the writer schema before their first write; done here, while the Spark
    // session or the query still starts, that is off the way to the first row. Not awaited: the
    // table is what the sink waits for
    CompletableFuture.runAsync(
        () -> UsersSink.warm(session, settings, config.get(Settings.USERS_TOPIC)));
  }

  @Override
  public void prepare(SparkSession spark, CompletableFuture<Void> sinkProvisioned) {
    counters = new JobCounters(spark.sparkContext(), settings.usersTable());
    this.sinkProvisioned = sinkProvisioned;
  }

  @Override
  public List<StreamingQuery> start(
      SparkSession spark, Checkpoints checkpoints, Trigger sinkTrigger, Trigger lakeTrigger)
      throws TimeoutException {
    String topic = config.get(Settings.USERS_TOPIC);
    boolean realtime = sinkTrigger instanceof RealTimeTrigger;
    List<StreamingQuery> queries = new ArrayList<>();
    DataStreamWriter<Row> cassandra =
        KafkaInput.stream(spark, settings, topic, realtime ? 0 : MAX_OFFSETS_PER_TRIGGER)
            .writeStream()
            .queryName("users-cassandra")
            .option("checkpointLocation", checkpoints.of(NAME, "cassandra"))
            .trigger(sinkTrigger);
    // why: a real-time query's writer opens on the executors, with no batch of the driver's to
    // wait in: its table must exist before it starts
    if (realtime) StreamJob.await(sinkProvisioned);
    queries.add(
        realtime
            ? cassandra
                .outputMode(OutputMode.Update())
                .foreach(new UsersRealtimeSink(settings, counters))
                .start()
            : cassandra.foreachBatch(new UsersSink(settings, counters, sinkProvisioned)).start());
    // why: the lake query's start (S3A, the file sink) competes for the same cores as the first
    // Cassandra batch; started after it, the first rows reach Cassandra sooner. A real-time query
    // reports its first progress only when its first batch ends, long after its tasks run
    if (!realtime) StreamJob.awaitFirstBatch(queries.get(0), FIRST_BATCH_WAIT);
    else
      log.info(
          "users-cassandra runs in real-time mode ({}, {} task slots)",
          sinkTrigger,
          spark.sparkContext().defaultParallelism());
    queries.add(
        Lake.write(
            lakeRows(
                parse(
                    settings,
                    KafkaInput.stream(
                        spark, settings, topic, MAX_OFFSETS_PER_TRIGGER, Lake.IDLE_WAIT))),
            "users-lake",
            Lake.path(config, "users"),
            checkpoints.of(NAME, "lake"),
            lakeTrigger,
            "ingest_date"));
    return queries;
  }

  @Override
  public void backfill(SparkSession spark, Instant from, Instant to) {
    Dataset<Row> kafka =
        KafkaInput.batch(spark, settings, config.get(Settings.USERS_TOPIC))
            .where(
                col("timestamp")
                    .geq(java.sql.Timestamp.from(from))
                    .and(col("timestamp").lt(java.sql.Timestamp.from(to))));
    kafka = kafka.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      String path = Lake.backfillPath(config, NAME, from, to);
      long lake = Lake.writeBackfill(lakeRows(parse(settings, kafka)), path, "ingest_date");
      counters.add(JobCounters.LAKE, lake);
      log.info("backfill wrote {} users to {}", lake, path);
      new UsersSink(settings, counters, sinkProvisioned).call(kafka, -1L);
    } finally {
      kafka.unpersist();
    }
  }

  @Override
  public Map<String, Long> counts() {
    return counters.snapshot();
  }

  static Dataset<Row> parse(JobSettings settings, Dataset<Row> kafka) {
    return kafka.mapPartitions(new UserRows(settings), Encoders.row(UserRows.SCHEMA));
  }

  /** Valid users with their Kafka coordinates and ingest date: the lake's columns. */
  static Dataset<Row> lakeRows(Dataset<Row> parsed) {
    List<Column> columns = new ArrayList<>();
    for (String c : UserRows.USER_COLUMNS) columns.add(col(c));
    columns.add(col("kafka_partition"));
    columns.add(col("kafka_offset"));
    columns.add(to_date(col("kafka_timestamp")).as("ingest_date"));
    return parsed.where(col("error_stage").isNull()).select(columns.toArray(Column[]::new));
  }
}
