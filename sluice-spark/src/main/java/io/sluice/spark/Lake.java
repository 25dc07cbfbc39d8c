package io.sluice.spark;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
  private Lake() {}

  public static String path(SluiceConfig config, String dataset) {
    return "s3a://" + config.get(Settings.S3_BUCKET) + "/lake/" + dataset;
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
