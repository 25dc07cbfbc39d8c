package io.sluice.spark;

import static io.sluice.spark.progress.ProgressFile.PROGRESS;
import static io.sluice.spark.progress.ProgressFile.SUMMARY;

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
import java.util.ArrayList;
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
 * JobMain users|weather|users,weather [--available-now] [--from DATE --to DATE] [--master MASTER]
 * </pre>
 *
 * Reads the configuration from the environment. Without options it runs until stopped (SIGTERM
 * stops the queries cleanly) and exits non-zero when a query fails, so that a supervisor restarts
 * it from the checkpoints. Several jobs (a comma-separated list, continuous runs only) run in one
 * Spark session, started in the order given, each with its own queries, checkpoints and progress
 * file; a failed query of any of them ends the JVM. {@code --available-now} processes what the
 * topics hold and exits; {@code --from/--to} re-processes the records of that time range (dates are
 * UTC days, {@code --to} inclusive). Both write {@code summary.json}.
 */
public final class JobMain {
  private static final Logger log = LoggerFactory.getLogger(JobMain.class);

  private JobMain() {}

  /** The parsed command line. */
  record Args(List<String> jobs, boolean availableNow, Instant from, Instant to, String master) {
    static Args parse(String... args) {
      if (args.length == 0) throw new IllegalArgumentException(usage());
      List<String> jobs = List.of(args[0].split(","));
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
      if (jobs.size() > 1 && (availableNow || from != null))
        throw new IllegalArgumentException("a bounded run runs one job; " + usage());
      return new Args(jobs, availableNow, from, to, master);
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
      return "usage: JobMain users|weather|users,weather [--available-now] [--from DATE --to DATE]"
          + " [--master MASTER]";
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
    List<StreamJob> jobs = args.jobs().stream().map(name -> job(name, config)).toList();
    // why: topics, bucket and Cassandra schema take seconds of waiting on servers; doing them while
    // the Spark session starts (seconds of class loading) shortens the time to the first batch.
    // The Cassandra schema is only awaited by the sink's first write, so that the session, the
    // Kafka source and the first batch's plan get ready while Cassandra itself is still starting.
    List<CompletableFuture<Void>> provisioned = new ArrayList<>();
    List<CompletableFuture<Void>> sinkProvisioned = new ArrayList<>();
    for (StreamJob job : jobs) {
      provisioned.add(CompletableFuture.runAsync(job::provision));
      sinkProvisioned.add(CompletableFuture.runAsync(job::provisionSink));
    }
    String names = String.join(",", args.jobs());
    SparkSession spark =
        SparkSessions.create(config, "sluice-" + names.replace(',', '+'), args.master());
    log.info("{}: Spark session started", names);
    Termination termination = new Termination();
    spark.streams().addListener(termination);
    for (StreamJob job : jobs)
      spark
          .streams()
          .addListener(new ProgressListener(job.name(), dir(config, job).resolve(PROGRESS)));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(spark), "stop-queries"));
    if (args.from() != null || args.availableNow())
      return runBounded(
          args, config, spark, jobs.get(0), provisioned.get(0), sinkProvisioned.get(0));

    List<StreamingQuery> queries = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      StreamJob job = jobs.get(i);
      StreamJob.await(provisioned.get(i));
      job.prepare(spark, sinkProvisioned.get(i));
      List<StreamingQuery> started =
          job.start(spark, Checkpoints.of(config), sinkTrigger(job, config), lakeTrigger(config));
      log.info("{} started: {}", job.name(), started.stream().map(StreamingQuery::name).toList());
      queries.addAll(started);
    }
    ClassArchiveWriter.startIfRequested(queries);
    termination.await(queries);
    for (StreamingQuery q : queries) {
      if (q.exception().isDefined()) {
        log.error("query {} failed", q.name(), q.exception().get());
        return 1;
      }
    }
    return 0;
  }

  /** A run of one job that ends: a backfill ({@code --from/--to}) or {@code --available-now}. */
  private static int runBounded(
      Args args,
      SluiceConfig config,
      SparkSession spark,
      StreamJob job,
      CompletableFuture<Void> provisioned,
      CompletableFuture<Void> sinkProvisioned)
      throws Exception {
    StreamJob.await(provisioned);
    job.prepare(spark, sinkProvisioned);
    if (args.from() != null) {
      log.info("backfilling {} from {} to {}", job.name(), args.from(), args.to());
      job.backfill(spark, args.from(), args.to());
      return finish(job, dir(config, job), spark);
    }
    List<StreamingQuery> queries =
        job.start(spark, Checkpoints.of(config), Trigger.AvailableNow(), Trigger.AvailableNow());
    log.info("{} started: {}", job.name(), queries.stream().map(StreamingQuery::name).toList());
    for (StreamingQuery q : queries) q.awaitTermination();
    return finish(job, dir(config, job), spark);
  }

  private static Trigger sinkTrigger(StreamJob job, SluiceConfig config) {
    return job.supportsRealtime() && SparkSettings.realtime(config)
        ? Trigger.RealTime(config.get(SparkSettings.SPARK_REALTIME_BATCH).toMillis())
        : Trigger.ProcessingTime(0L);
  }

  private static Trigger lakeTrigger(SluiceConfig config) {
    return Trigger.ProcessingTime(config.get(Settings.SPARK_LAKE_TRIGGER).toMillis());
  }

  private static Path dir(SluiceConfig config, StreamJob job) {
    return config.dataDir().resolve("streams").resolve(job.name());
  }

  private static void stopAll(SparkSession spark) {
    for (StreamingQuery q : spark.streams().active()) {
      try {
        q.stop();
      } catch (Exception e) {
        log.warn("stopping {}: {}", q.name(), e.getMessage());
      }
    }
  }

  private static int finish(StreamJob job, Path dir, SparkSession spark) {
    Map<String, Long> counts = job.counts();
    ProgressFile.write(dir.resolve(SUMMARY), ProgressFile.summary(job.name(), counts, true));
    System.out.println("summary " + counts);
    spark.stop();
    return 0;
  }
}
