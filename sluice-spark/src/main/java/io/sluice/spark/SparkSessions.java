package io.sluice.spark;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import org.apache.spark.sql.SparkSession;

/** Builds the Spark session of a job: UTC, microsecond Parquet timestamps, S3A on the lake. */
public final class SparkSessions {
  /** How long an idle streaming query waits before it looks for new records again. */
  static final String POLLING_DELAY = "100ms";

  private SparkSessions() {}

  /**
   * @param master the master, or null to keep the one spark-submit set ({@code spark.master}), or
   *     else {@code spark.master} from the configuration
   */
  public static SparkSession create(SluiceConfig config, String appName, String master) {
    String effective =
        master != null
            ? master
            : localSlots(
                config, System.getProperty("spark.master", config.get(Settings.SPARK_MASTER)));
    String s3 = Endpoints.s3Endpoint(config);
    SparkSession.Builder b =
        SparkSession.builder()
            .appName(appName)
            .master(effective)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.datetime.java8API.enabled", "true")
            // why: a field added to a schema is a new Parquet column; merged, old files read it as
            // null
            .config("spark.sql.parquet.mergeSchema", "true")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .config("spark.sql.files.maxRecordsPerFile", "1000000")
            .config("spark.sql.streaming.minBatchesToRetain", "20")
            // why: Hadoop's local file system starts processes (chmod, readlink) for every
            // checkpoint file it writes, two per micro-batch on the query's own thread
            .config(
                "spark.sql.streaming.checkpointFileManagerClass",
                LocalCheckpointFileManager.class.getName())
            // why: a query that found no new records asks Kafka again after this delay (10 ms by
            // default: a hundred offset requests a second per idle query); a query that found
            // records plans its next batch at once, so this costs latency only after an idle spell
            .config("spark.sql.streaming.pollingDelay", POLLING_DELAY)
            .config("spark.hadoop.fs.s3a.endpoint", s3)
            .config("spark.hadoop.fs.s3a.endpoint.region", config.get(Settings.S3_REGION))
            .config("spark.hadoop.fs.s3a.path.style.access", "true")
            .config(
                "spark.hadoop.fs.s3a.connection.ssl.enabled",
                Boolean.toString(s3.startsWith("https")))
            .config(
                "spark.hadoop.fs.s3a.aws.credentials.provider",
                "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
            .config("spark.hadoop.fs.s3a.access.key", config.get(Settings.S3_ACCESS_KEY))
            .config("spark.hadoop.fs.s3a.secret.key", config.get(Settings.S3_SECRET_KEY))
            // why: a local S3 server answers at once; fail over fast instead of S3A's minute-long
            // retries
            .config("spark.hadoop.fs.s3a.attempts.maximum", "5")
            .config("spark.hadoop.fs.s3a.retry.limit", "5")
            .config("spark.hadoop.fs.s3a.retry.interval", "200ms");
    if (effective.startsWith("local")) {
      b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    return b.getOrCreate();
  }

  /**
   * {@code master}, with {@code local[*]} given at least two task slots per partition of the topics
   * ({@link SparkSettings#realtimeSlots}) rather than one per core.
   *
   * <p>why: a micro-batch of the Cassandra query has a task per partition, and the lake query's
   * batch is one task that holds its slot for seconds; with a slot per core (two here) the three
   * tasks of every batch ran in two waves, and in three behind a lake batch, which is where the
   * latency's tail came from. Local slots are threads that mostly wait on Kafka and Cassandra.
   */
  static String localSlots(SluiceConfig config, String master) {
    if (!master.equals("local[*]")) return master;
    int cores = Runtime.getRuntime().availableProcessors();
    return "local[" + Math.max(cores, SparkSettings.realtimeSlots(config)) + "]";
  }
}
