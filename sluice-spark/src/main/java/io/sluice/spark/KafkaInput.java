package io.sluice.spark;

import io.sluice.spark.source.IdleWaitKafkaProvider;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.DataStreamReader;

/**
 * Reads the ingest topics. Every job reads committed records only (the ingest producer is
 * transactional), from the earliest offset when it has no checkpoint yet, and polls with a 10 ms
 * fetch wait: Kafka's default 500 ms would add half a second to every micro-batch. A stream without
 * new records waits for the next one in a fetch the broker holds ({@link IdleWaitKafkaProvider})
 * rather than asking Kafka for its end offsets ten times a second.
 */
public final class KafkaInput {
  /** Columns handed to the parsers, in this order. */
  public static final Column[] COLUMNS = {
    functions.col("key"),
    functions.col("value"),
    functions.col("topic"),
    functions.col("partition"),
    functions.col("offset"),
    functions.col("timestamp")
  };

  /** Positions of {@link #COLUMNS} in a row. */
  public static final int KEY = 0, VALUE = 1, TOPIC = 2, PARTITION = 3, OFFSET = 4, TIMESTAMP = 5;

  private KafkaInput() {}

  /**
   * The records of {@code topics} as a stream.
   *
   * @param maxOffsetsPerTrigger the most records one micro-batch reads, or 0 for no bound (a
   *     real-time query, which refuses the option)
   */
  public static Dataset<Row> stream(
      SparkSession spark, JobSettings settings, String topics, long maxOffsetsPerTrigger) {
    // why: a real-time query reads on without asking for end offsets, and Spark's real-time mode
    // admits its own Kafka source only
    String format = maxOffsetsPerTrigger > 0 ? IdleWaitKafkaProvider.class.getName() : "kafka";
    DataStreamReader reader =
        spark
            .readStream()
            .format(format)
            .option("kafka.bootstrap.servers", settings.kafkaBootstrap())
            .option("subscribe", topics)
            .option("startingOffsets", "earliest")
            .option("kafka.isolation.level", "read_committed")
            .option("kafka.fetch.max.wait.ms", "10");
    if (maxOffsetsPerTrigger > 0)
      reader = reader.option("maxOffsetsPerTrigger", Long.toString(maxOffsetsPerTrigger));
    return reader.load().select(COLUMNS);
  }

  /** Everything currently in the topics, as one bounded batch (backfills). */
  public static Dataset<Row> batch(SparkSession spark, JobSettings settings, String topics) {
    DataFrameReader reader =
        spark
            .read()
            .format("kafka")
            .option("kafka.bootstrap.servers", settings.kafkaBootstrap())
            .option("subscribe", topics)
            .option("startingOffsets", "earliest")
            .option("endingOffsets", "latest")
            .option("kafka.isolation.level", "read_committed");
    return reader.load().select(COLUMNS);
  }

  /** A Spark timestamp value as an instant, whichever Java type the session hands out. */
  public static Instant instant(Object value) {
    if (value == null) return null;
    if (value instanceof Instant i) return i;
    if (value instanceof Timestamp t) return t.toInstant();
    throw new IllegalArgumentException("not a timestamp: " + value.getClass());
  }
}
