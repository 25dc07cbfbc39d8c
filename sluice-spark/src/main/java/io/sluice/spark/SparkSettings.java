package io.sluice.spark;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ModuleSettings;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.time.Duration;
import java.util.List;

/**
 * The stream jobs' own settings: how the users job's Cassandra query runs, and whether the jobs
 * share a JVM. Needs no Spark classes, so that the launcher ({@code SparkJobProcess}) reads them
 * too.
 */
public final class SparkSettings implements ModuleSettings {
  /** The default mode: micro-batches. */
  public static final String MICROBATCH = "microbatch";

  /** Spark's real-time mode: long-running tasks that write each record as it arrives. */
  public static final String REALTIME = "realtime";

  public static final ConfigKey<String> SPARK_MODE =
      ConfigKey.builder("spark.mode", "SLUICE_SPARK_MODE")
          .defaultValue(MICROBATCH)
          .description(
              "How the users job's Cassandra query runs: microbatch, or realtime (Spark's real-time"
                  + " mode: each record is written as it arrives, in milliseconds; needs a task slot"
                  + " per partition of the users topic for as long as the job runs). The lake"
                  + " queries and the weather job stay micro-batch.")
          .oneOf(MICROBATCH, REALTIME);

  public static final ConfigKey<Duration> SPARK_REALTIME_BATCH =
      ConfigKey.builder("spark.realtime-batch", "SLUICE_SPARK_REALTIME_BATCH")
          .defaultValue("PT5M")
          .description(
              "Batch duration of a real-time query: how often it checkpoints its Kafka offsets and"
                  + " reports progress, so also how much a restart after a crash reads again (at"
                  + " least 5 s). Records arriving while one batch ends and the next starts wait"
                  + " for it, so a longer batch means fewer such waits.")
          .duration();

  public static final ConfigKey<Boolean> SPARK_SHARED_JVM =
      ConfigKey.builder("spark.shared-jvm", "SLUICE_SPARK_SHARED_JVM")
          .defaultValue("true")
          .description(
              "With a local master, the stream tasks run the users and weather jobs in one JVM: one"
                  + " Spark session, each job with its own queries, checkpoints and progress. It"
                  + " saves a second JVM's memory, threads and JIT; a failed query of either job"
                  + " ends the JVM, and both jobs restart from their checkpoints. false: one JVM"
                  + " per job. A spark:// master runs one application per job either way.")
          .bool();

  @Override
  public List<ConfigKey<?>> keys() {
    return ModuleSettings.declaredIn(SparkSettings.class);
  }

  /** True when the users job's Cassandra query runs in real-time mode. */
  public static boolean realtime(SluiceConfig config) {
    return REALTIME.equals(config.get(SPARK_MODE));
  }

  /**
   * True when a stream task runs its job in the JVM shared by the continuous jobs ({@link
   * #SPARK_SHARED_JVM}): a local master, and no options for the job.
   */
  public static boolean sharedJvm(SluiceConfig config, List<String> args) {
    return config.get(SPARK_SHARED_JVM)
        && args.isEmpty()
        && config.get(Settings.SPARK_MASTER).startsWith("local");
  }

  /**
   * The task slots a users job in real-time mode needs: one per partition of its topic, held for as
   * long as the job runs, and as many again for the lake query's micro-batches beside it.
   */
  public static int realtimeSlots(SluiceConfig config) {
    return 2 * config.get(Settings.TOPIC_PARTITIONS);
  }
}
