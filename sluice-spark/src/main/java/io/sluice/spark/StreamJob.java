package io.sluice.spark;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/** One Spark job of Sluice ({@code users}, {@code weather}). Called by {@link JobMain}. */
public interface StreamJob {
  String name();

  /**
   * Creates the topics and the bucket the job needs. Needs no Spark session, so that it runs while
   * the session starts.
   */
  void provision();

  /**
   * Whether the Cassandra query may run in Spark's real-time mode ({@code spark.mode: realtime}):
   * then {@link #start} is given a real-time trigger as {@code sinkTrigger}.
   */
  default boolean supportsRealtime() {
    return false;
  }

  /**
   * Creates the keyspaces and tables the job writes; waits until Cassandra answers. Runs while the
   * session starts and the first micro-batch is planned, so that a job can start while Cassandra
   * does.
   */
  void provisionSink();

  /**
   * Registers the job's counters with the session; called after {@link #provision()}. The job's
   * Cassandra writes wait for {@code sinkProvisioned} ({@link #provisionSink()}) to complete.
   */
  void prepare(SparkSession spark, CompletableFuture<Void> sinkProvisioned);

  /**
   * Starts the job's streaming queries: one writing Cassandra and the dead-letter topic, one
   * writing the Parquet lake.
   *
   * @param sinkTrigger trigger of the Cassandra query (as soon as possible, real-time, or
   *     available-now)
   * @param lakeTrigger trigger of the Parquet query (a longer interval gives larger files)
   */
  List<StreamingQuery> start(
      SparkSession spark, Checkpoints checkpoints, Trigger sinkTrigger, Trigger lakeTrigger)
      throws TimeoutException;

  /**
   * Re-processes the records whose time lies in {@code [from, to)} as one batch, without touching
   * the checkpoints: upserts them into Cassandra (identical rows for records already stored) and
   * writes their Parquet copy under {@code lake/backfill/<job>/range=<from>_<to>/}, replacing an
   * earlier backfill of the same range.
   */
  void backfill(SparkSession spark, Instant from, Instant to);

  /** Rows written per table and dead letters sent by this JVM so far. */
  Map<String, Long> counts();

  /** Waits for {@code step}; its failure is thrown as it was, unwrapped. */
  static void await(CompletableFuture<Void> step) {
    try {
      step.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Waits until {@code query} has finished its first micro-batch, stopped, or {@code timeout}
   * passed, whichever comes first.
   */
  static void awaitFirstBatch(StreamingQuery query, java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (query.isActive() && query.lastProgress() == null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
