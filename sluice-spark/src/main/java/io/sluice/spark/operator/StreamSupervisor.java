package io.sluice.spark.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskFailedException;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.SparkSettings;
import io.sluice.spark.launch.SharedJvm;
import io.sluice.spark.launch.SparkJobProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps one streaming job alive for as long as its task runs, which is what Airflow cannot do:
 *
 * <ul>
 *   <li>owns the job through its lease in the metadata database ({@link JobLease}): only the
 *       lease's holder starts, re-attaches to or stops the job, and a try that finds the lease held
 *       by another owner waits, leaving the job alone;
 *   <li>re-attaches to the job's JVM when one is already running (after a scheduler restart, the
 *       pid recorded on the lease its dead holder let expire), else starts it: with a local master,
 *       in the JVM shared by the continuous jobs ({@link SharedJvm}, {@code spark.shared-jvm}), so
 *       the first of the users and weather tasks starts both and the other attaches to it;
 *   <li>restarts it with exponential backoff whenever it dies (the checkpoints make a restart
 *       exact), resetting the backoff once the job has stayed up for a while;
 *   <li>looks at the job every second and writes its health ({@code health.json} beside the job's
 *       progress file: state, pid, restarts, the latest progress) when it changed ({@link
 *       HealthFile}), and logs progress to the task log;
 *   <li>stops the job, cleanly then forcibly, when its thread is interrupted: the task was cleared,
 *       timed out, its DAG paused, or the scheduler is shutting down.
 * </ul>
 *
 * The task never succeeds on its own; it fails when {@code max_restarts} is exceeded.
 */
public final class StreamSupervisor implements io.sluice.api.ServiceTask {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration PROGRESS_LOG_EVERY = Duration.ofSeconds(30);

  private final String job;
  private final List<String> args;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final int maxRestarts;
  private final Duration grace;
  private final Function<TaskContext, SluiceConfig> configOf;
  private final String startAfter;
  private final Duration leaseTtl;

  /**
   * @param leaseTtl how long the job's lease lasts unless renewed: how soon another scheduler may
   *     take the job over once this one died
   */
  public StreamSupervisor(
      String job,
      List<String> args,
      Duration initialDelay,
      Duration maxDelay,
      int maxRestarts,
      Duration grace,
      Function<TaskContext, SluiceConfig> configOf,
      String startAfter,
      Duration leaseTtl) {
    this.job = job;
    this.args = List.copyOf(args);
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
    this.maxRestarts = maxRestarts;
    this.grace = grace;
    this.configOf = configOf;
    this.startAfter = startAfter;
    this.leaseTtl = leaseTtl;
  }

  @Override
  public Object execute(TaskContext ctx) throws Exception {
    SluiceConfig config = configOf.apply(ctx);
    try (JobLease lease = JobLease.await(ctx, job, leaseTtl)) {
      return supervise(ctx, config, lease);
    }
  }

  private Object supervise(TaskContext ctx, SluiceConfig config, JobLease lease) throws Exception {
    StartGate gate = StartGate.of(config.get(Settings.SPARK_CONCURRENT_STARTS));
    Instant startedAt = Instant.now();
    SparkJobProcess process = lease.attach(config).orElse(null);
    if (process != null) {
      ctx.log().info("re-attached to the running {} job (pid {})", job, process.pid());
    } else {
      if (startAfter != null) awaitFirstBatchOf(ctx, config, startAfter, lease);
      process = start(ctx, gate, config, lease);
      startedAt = Instant.now();
      ctx.log().info("started the {} job (pid {}), log {}", job, process.pid(), process.log());
    }
    lease.keep(process, null);
    HealthFile health = new HealthFile(job, ctx.clock());
    int restarts = 0;
    Duration backoff = initialDelay;
    Instant upSince = ctx.clock().instant();
    Instant lastProgressLog = Instant.EPOCH;
    try {
      while (true) {
        Instant now = ctx.clock().instant();
        if (gate.held()
            && (!process.isAlive()
                || progressedSince(process, startedAt)
                || Duration.between(upSince, now).compareTo(StartGate.MAX_HOLD) > 0)) gate.leave();
        if (!process.isAlive()) {
          restarts++;
          ctx.log()
              .warn(
                  "the {} job (pid {}) died; log tail:\n{}",
                  job,
                  process.pid(),
                  tail(process.log(), 20));
          if (restarts > maxRestarts)
            throw new TaskFailedException(
                "the "
                    + job
                    + " job died "
                    + restarts
                    + " times (max_restarts "
                    + maxRestarts
                    + ")");
          health.update(process, "restarting", restarts, backoff);
          ctx.log().info("restarting the {} job in {} (restart {})", job, backoff, restarts);
          pause(ctx, backoff, lease);
          backoff =
              backoff.multipliedBy(2).compareTo(maxDelay) > 0 ? maxDelay : backoff.multipliedBy(2);
          process = start(ctx, gate, config, lease);
          startedAt = Instant.now();
          upSince = ctx.clock().instant();
          ctx.log().info("restarted the {} job (pid {})", job, process.pid());
          continue;
        }
        if (Duration.between(upSince, now).compareTo(maxDelay.multipliedBy(2)) > 0)
          backoff = initialDelay;
        Map<String, Object> progress = health.update(process, "running", restarts, backoff);
        lease.keep(process, progress);
        if (Duration.between(lastProgressLog, now).compareTo(PROGRESS_LOG_EVERY) >= 0) {
          if (progress != null) ctx.log().info("progress: {}", JSON.writeValueAsString(progress));
          else ctx.log().info("the {} job (pid {}) has run no micro-batch yet", job, process.pid());
          lastProgressLog = now;
        }
        ctx.sleep(TICK);
      }
    } catch (InterruptedException e) {
      ctx.log().info("stopping the {} job (pid {})", job, process.pid());
      boolean stopped = process.stop(grace);
      health.update(process, stopped ? "stopped" : "stopping", restarts, backoff);
      throw e;
    } finally {
      gate.leave();
    }
  }

  /** Sleeps {@code duration} in ticks, renewing the lease on each. */
  private static void pause(TaskContext ctx, Duration duration, JobLease lease)
      throws InterruptedException {
    Instant until = ctx.clock().instant().plus(duration);
    for (Instant now = ctx.clock().instant(); now.isBefore(until); now = ctx.clock().instant()) {
      Duration left = Duration.between(now, until);
      ctx.sleep(left.compareTo(TICK) < 0 ? left : TICK);
      lease.keep(null, null);
    }
  }

  /**
   * Waits until the {@code other} job runs and has reported a micro-batch, or {@link
   * StartGate#MAX_HOLD} passed: on a small machine the job that matters first gets the cores first.
   */
  private void awaitFirstBatchOf(TaskContext ctx, SluiceConfig config, String other, JobLease lease)
      throws InterruptedException {
    Instant deadline = ctx.clock().instant().plus(StartGate.MAX_HOLD);
    ctx.log().info("starting after the {} job's first micro-batch", other);
    while (ctx.clock().instant().isBefore(deadline)) {
      Optional<SparkJobProcess> running = SparkJobProcess.attach(config, other);
      if (running.isPresent() && progressedSince(running.get(), Instant.EPOCH)) return;
      ctx.sleep(Duration.ofMillis(250));
      lease.keep(null, null);
    }
    ctx.log()
        .info(
            "the {} job has not reported a micro-batch in {}; starting", other, StartGate.MAX_HOLD);
  }

  /**
   * Starts the job's JVM, or attaches to the shared one that already runs it, once the start gate
   * admits it, renewing the lease while it waits.
   */
  private SparkJobProcess start(
      TaskContext ctx, StartGate gate, SluiceConfig config, JobLease lease)
      throws InterruptedException {
    long waitFrom = System.nanoTime();
    while (!gate.tryEnter(TICK)) lease.keep(null, null);
    long waited = (System.nanoTime() - waitFrom) / 1_000_000;
    if (waited > 100) ctx.log().info("waited {} ms for another job to start", waited);
    try {
      return SparkSettings.sharedJvm(config, args)
          ? SharedJvm.start(config, job)
          : SparkJobProcess.start(config, job, args);
    } catch (RuntimeException e) {
      gate.leave();
      throw e;
    }
  }

  /**
   * True once the job has reported a micro-batch after {@code since}: its progress file (written on
   * query start too) has been rewritten since and names a batch.
   */
  private static boolean progressedSince(SparkJobProcess process, Instant since) {
    try {
      Path file = process.progressFile();
      return Files.getLastModifiedTime(file).toInstant().isAfter(since)
          && Files.readString(file).contains("\"batch_id\"");
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
