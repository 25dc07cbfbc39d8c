package io.sluice.spark;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.progress.ProgressFile;
import io.sluice.spark.progress.ProgressListener;
import io.sluice.spark.users.UsersJob;
import io.sluice.spark.weather.WeatherJob;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of a job JVM, launched by {@code SparkJobProcess} (local mode) or spark-submit:
 *
 * <pre>
 * JobMain users|weather [--available-now] [--from DATE --to DATE] [--master MASTER]
 * </pre>
 *
 * Reads the configuration from the environment. Without options it runs until stopped (SIGTERM
 * stops the queries cleanly) and exits non-zero when a query fails, so that a supervisor restarts
 * it from the checkpoints. {@code --available-now} processes what the topics hold and exits; {@code
 * --from/--to} re-processes the records of that time range (dates are UTC days, {@code --to}
 * inclusive). Both write {@code summary.json}.
 */
public final class JobMain {
  private static final Logger log = LoggerFactory.getLogger(JobMain.class);

  private JobMain() {}

  /** The parsed command line. */
  record Args(String job, boolean availableNow, Instant from, Instant to, String master) {
    static Args parse(String... args) {
      if (args.length == 0) throw new IllegalArgumentException(usage());
      String job = args[0];
      boolean availableNow = false;
      Instant from = null;
      Instant to = null;
      String master = null;
      for (int i = 1; i < args.length; i++) {
        switch (args[i]) {
          case "--available-now" -> availableNow = true;
          case "--from" -> from = time(value(args, ++i), false);
          case "--to" -> to = time(value(args, ++i), true);
          case "--master" -> master = value(args, ++i);
          default ->
              throw new IllegalArgumentException("unknown option " + args[i] + "; " + usage());
        }
      }
      if ((from == null) != (to == null))
        throw new IllegalArgumentException("--from and --to go together");
      if (from != null && !from.isBefore(to))
        throw new IllegalArgumentException("--from must be before --to");
      return new Args(job, availableNow, from, to, master);
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) throw new IllegalArgumentException("missing value; " + usage());
      return args[i];
    }

    /** A date (a whole UTC day; {@code --to} includes it) or an ISO instant. */
    static Instant time(String s, boolean end) {
      if (s.length() == 10) {
        LocalDate d = LocalDate.parse(s);
        return (end ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return Instant.parse(s);
    }

    static String usage() {
      return "usage: JobMain users|weather [--available-now] [--from DATE --to DATE] [--master MASTER]";
    }
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(Args.parse(args), SluiceConfig.loadKnownKeys());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      code = 2;
    } catch (Throwable t) {
      log.error("job failed", t);
      code = 1;
    }
    System.exit(code);
  }

  static StreamJob job(String name, SluiceConfig config) {
    return switch (name) {
      case UsersJob.NAME -> new UsersJob(config);
      case WeatherJob.NAME -> new WeatherJob(config);
      default -> throw new IllegalArgumentException("unknown job '" + name + "'; " + Args.usage());
    };
  }

  static int run(Args args, SluiceConfig config) throws Exception {
    StreamJob job = job(args.job(), config);
    Path dir = config.dataDir().resolve("streams").resolve(job.name());
    // why: topics, bucket and Cassandra schema take seconds of waiting on servers; doing them while
    // the Spark session starts (seconds of class loading) shortens the time to the first batch.
    // The Cassandra schema is only awaited by the sink's first write, so that the session, the
    // Kafka source and the first batch's plan get ready while Cassandra itself is still starting.
    CompletableFuture<Void> provisioned = CompletableFuture.runAsync(job::provision);
    CompletableFuture<Void> sinkProvisioned = CompletableFuture.runAsync(job::provisionSink);
    SparkSession spark = SparkSessions.create(config, "sluice-" + job.name(), args.master());
    log.info("{}: Spark session started", job.name());
    spark
        .streams()
        .addListener(new ProgressListener(job.name(), dir.resolve(ProgressFile.PROGRESS)));
    StreamJob.await(provisioned);
    job.prepare(spark, sinkProvisioned);

    if (args.from() != null) {
      log.info("backfilling {} from {} to {}", job.name(), args.from(), args.to());
      job.backfill(spark, args.from(), args.to());
      return finish(job, dir, spark);
    }

    boolean bounded = args.availableNow();
    Trigger sink =
        bounded
            ? Trigger.AvailableNow()
            : job.supportsRealtime() && SparkSettings.realtime(config)
                ? Trigger.RealTime(config.get(SparkSettings.SPARK_REALTIME_BATCH).toMillis())
                : Trigger.ProcessingTime(0L);
    Trigger lake =
        bounded
            ? Trigger.AvailableNow()
            : Trigger.ProcessingTime(config.get(Settings.SPARK_LAKE_TRIGGER).toMillis());
    List<StreamingQuery> queries = job.start(spark, Checkpoints.of(config), sink, lake);
    Thread stopper =
        new Thread(
            () -> {
              for (StreamingQuery q : spark.streams().active()) {
                try {
                  q.stop();
                } catch (Exception e) {
                  log.warn("stopping {}: {}", q.name(), e.getMessage());
                }
              }
            },
            "stop-queries");
    Runtime.getRuntime().addShutdownHook(stopper);
    log.info("{} started: {}", job.name(), queries.stream().map(StreamingQuery::name).toList());
    if (bounded) {
      for (StreamingQuery q : queries) q.awaitTermination();
      return finish(job, dir, spark);
    }
    spark.streams().awaitAnyTermination();
    for (StreamingQuery q : queries) {
      if (q.exception().isDefined()) {
        log.error("query {} failed", q.name(), q.exception().get());
        return 1;
      }
    }
    return 0;
  }

  private static int finish(StreamJob job, Path dir, SparkSession spark) {
    Map<String, Long> counts = job.counts();
    ProgressFile.write(
        dir.resolve(ProgressFile.SUMMARY), ProgressFile.summary(job.name(), counts, true));
    System.out.println("summary " + counts);
    spark.stop();
    return 0;
  }
}
