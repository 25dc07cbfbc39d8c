package io.sluice.spark;

import io.sluice.spark.source.IdleWaitKafkaProvider;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.DataStreamReader;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

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

  /** One Kafka record as a sink reads it: where it came from, and its key and value. */
  public record Record(String topic, int partition, long offset, byte[] key, byte[] value) {
    /** A row of {@link #COLUMNS}. */
    public static Record of(Row r) {
      return new Record(
          r.getString(TOPIC),
          r.getInt(PARTITION),
          r.getLong(OFFSET),
          (byte[]) r.get(KEY),
          (byte[]) r.get(VALUE));
    }

    /** A row of {@link #COLUMNS} as Spark holds it; its bytes are copied out of the row. */
    static Record of(InternalRow r) {
      return new Record(
          r.getUTF8String(TOPIC).toString(),
          r.getInt(PARTITION),
          r.getLong(OFFSET),
          r.isNullAt(KEY) ? null : r.getBinary(KEY),
          r.isNullAt(VALUE) ? null : r.getBinary(VALUE));
    }
  }

  /** What a sink does with the records of one partition of a batch. */
  @FunctionalInterface
  public interface PartitionSink extends Serializable {
    void write(Iterator<Record> records);
  }

  /**
   * Runs {@code sink} on each partition of {@code batch}, a Dataset of {@link #COLUMNS}, with its
   * records as {@link Record}s, in one Spark job; returns when every partition is written.
   */
  public static void foreachPartition(Dataset<Row> batch, PartitionSink sink) {
    // why: Dataset.foreachPartition would turn every record into an external Row (its topic
    // decoded, its timestamp converted) through Spark's deserializer, and clean the closures of
    // both steps, reading their classes' bytecode with ASM, on the query's thread in every batch;
    // a named function is not a closure and needs no cleaning
    RDD<InternalRow> rows = batch.queryExecution().toRdd();
    rows.sparkContext()
        .runJob(rows, new PartitionJob(sink), ClassTag$.MODULE$.apply(BoxedUnit.class));
  }

  /** The task of {@link #foreachPartition}: a Scala function of Spark's rows. */
  private static final class PartitionJob
      extends AbstractFunction2<TaskContext, scala.collection.Iterator<InternalRow>, BoxedUnit>
      implements Serializable {
    private final PartitionSink sink;

    PartitionJob(PartitionSink sink) {
      this.sink = sink;
    }

    @Override
    public BoxedUnit apply(TaskContext context, scala.collection.Iterator<InternalRow> rows) {
      sink.write(
          new Iterator<>() {
            @Override
            public boolean hasNext() {
              return rows.hasNext();
            }

            @Override
            public Record next() {
              return Record.of(rows.next());
            }
          });
      return BoxedUnit.UNIT;
    }
  }

  /**
   * The records of {@code topics} as a stream.
   *
   * @param maxOffsetsPerTrigger the most records one micro-batch reads, or 0 for no bound (a
   *     real-time query, which refuses the option)
   */
  public static Dataset<Row> stream(
      SparkSession spark, JobSettings settings, String topics, long maxOffsetsPerTrigger) {
    return stream(spark, settings, topics, maxOffsetsPerTrigger, IdleWaitKafkaProvider.IDLE_WAIT);
  }

  /**
   * The records of {@code topics} as a stream whose idle looks wait at most {@code idleWait} for a
   * record ({@link Duration#ZERO}: not at all, for a query on a processing-time interval).
   */
  public static Dataset<Row> stream(
      SparkSession spark,
      JobSettings settings,
      String topics,
      long maxOffsetsPerTrigger,
      Duration idleWait) {
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
      reader =
          reader
              .option("maxOffsetsPerTrigger", Long.toString(maxOffsetsPerTrigger))
              .option(IdleWaitKafkaProvider.IDLE_WAIT_OPTION, Long.toString(idleWait.toMillis()));
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
