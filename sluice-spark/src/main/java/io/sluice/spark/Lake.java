package io.sluice.spark;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The Parquet data lake on S3 ({@code s3a://<bucket>/lake/...}), written through Spark's file sink,
 * whose commit log ({@code _spark_metadata}) makes each micro-batch visible exactly once.
 *
 * <p>File sizes: each micro-batch is coalesced to one task, so it writes one file per partition
 * value it touches; the lake trigger ({@code spark.lake-trigger}, default 30 s) sets how many rows
 * a file gathers, and {@code spark.sql.files.maxRecordsPerFile} (1,000,000) rolls a file over
 * before it grows past roughly 100 to 200 MB. Timestamps are written as {@code TIMESTAMP_MICROS}.
 */
public final class Lake {
  private static final DateTimeFormatter RANGE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * How long a lake query's idle look waits for a record: not at all, its processing-time trigger
   * already spaces its looks, and a wait inside an interval would overrun it.
   */
  public static final Duration IDLE_WAIT = Duration.ZERO;

  private Lake() {}

  public static String path(SluiceConfig config, String dataset) {
    return "s3a://" + config.get(Settings.S3_BUCKET) + "/lake/" + dataset;
  }

  /**
   * Where a backfill of {@code [from, to)} writes its Parquet copy: beside the streaming dataset,
   * not inside it (readers of a file-sink directory see only the files its commit log lists).
   */
  public static String backfillPath(SluiceConfig config, String dataset, Instant from, Instant to) {
    return "s3a://"
        + config.get(Settings.S3_BUCKET)
        + "/lake/backfill/"
        + dataset
        + "/range="
        + RANGE.format(from)
        + "_"
        + RANGE.format(to);
  }

  /**
   * Writes a backfill's rows as one batch, replacing what an earlier backfill of the same range
   * wrote, so that re-running a backfill gives the same files. Returns the rows written.
   */
  public static long writeBackfill(Dataset<Row> rows, String path, String... partitionColumns) {
    long count = rows.count();
    rows.coalesce(1).write().mode(SaveMode.Overwrite).partitionBy(partitionColumns).parquet(path);
    return count;
  }

  public static StreamingQuery write(
      Dataset<Row> rows,
      String name,
      String path,
      String checkpoint,
      Trigger trigger,
      String... partitionColumns)
      throws TimeoutException {
    return rows.coalesce(1)
        .writeStream()
        .queryName(name)
        .format("parquet")
        .outputMode(OutputMode.Append())
        .partitionBy(partitionColumns)
        .option("path", path)
        .option("checkpointLocation", checkpoint)
        .trigger(trigger)
        .start();
  }
}
