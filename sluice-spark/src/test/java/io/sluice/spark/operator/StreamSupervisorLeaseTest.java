package io.sluice.spark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.TaskState;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.model.Lease;
import io.sluice.core.time.Sleeper;
import io.sluice.spark.launch.SparkJobProcess;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream task owns its job only through the job's lease in the metadata database (H2 here): it
 * leaves a job whose lease another owner holds alone, and takes over, re-attaches to and in the end
 * stops a job whose owner died. The "job" is a stand-in process whose command line names the users
 * job, so no Spark starts.
 */
class StreamSupervisorLeaseTest {
  @TempDir Path dataDir;
  final JdbcStore store = MetadataDatabases.inMemory();
  EngineLoop scheduler;
  Process standIn;

  @AfterEach
  void tearDown() {
    if (scheduler != null) scheduler.close();
    if (standIn != null) standIn.destroyForcibly();
    store.close();
  }

  @Test
  void aTryThatFindsTheLeaseHeldLeavesTheJobAloneAndSaysWhoHoldsIt() throws Exception {
    standIn = standInUsersJob();
    Instant until = Instant.now().plus(Duration.ofHours(1));
    putLease("scheduler-a", standIn.pid(), until);

    String runId = startStreams();
    await(
        "the try to report the holder",
        Duration.ofSeconds(30),
        () -> log(runId).contains("scheduler-a"));
    assertThat(log(runId))
        .contains(
            "the users job is not this try's: stream:users is supervised by executor scheduler-a")
        .contains("leaving it alone")
        .doesNotContain("re-attached", "started the users job");

    scheduler.close();
    assertThat(standIn.isAlive()).as("the job another owner holds").isTrue();
    assertThat(Files.exists(SparkJobProcess.directory(config(), "users").resolve("job.pid")))
        .isFalse();
    assertThat(lease()).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("scheduler-a"));
  }

  @Test
  void aTryTakesOverTheLeaseADeadOwnerLetExpireReattachesAndStopsTheJobAtTheEnd() throws Exception {
    standIn = standInUsersJob();
    putLease("scheduler-a", standIn.pid(), Instant.now().minusSeconds(1));

    String runId = startStreams();
    // a running stream task's log is readable within 5 s of its start (polled; bounded at 5 s)
    await(
        "the try to start",
        Duration.ofSeconds(30),
        () ->
            store
                .inTransaction(tx -> tx.taskInstance("streams", runId, "users_stream"))
                .map(ti -> ti.state() == TaskState.RUNNING)
                .orElse(false));
    await("a line in its log", Duration.ofSeconds(5), () -> !log(runId).isEmpty());
    await(
        "the re-attach",
        Duration.ofSeconds(30),
        () -> log(runId).contains("re-attached to the running users job (pid " + standIn.pid()));
    Lease taken = lease().orElseThrow();
    assertThat(taken.owner()).isEqualTo(scheduler.executorId());
    assertThat(taken.pid()).isEqualTo(standIn.pid());
    assertThat(taken.runId()).isEqualTo(runId);

    scheduler.close();
    assertThat(standIn.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(lease()).as("released once the job stopped").isEmpty();
  }

  /** A process that {@link SparkJobProcess#attach} takes for the users job's JVM. */
  private static Process standInUsersJob() throws Exception {
    // why: "; true" keeps bash from exec-ing sleep, which would drop the arguments that name the
    // job
    return new ProcessBuilder(
            "bash", "-c", "sleep 300; true", "-Dsluice.job=users", SparkJobProcess.MAIN_CLASS)
        .start();
  }

  private SluiceConfig config() {
    return SluiceConfig.defaults().with(Settings.DATA_DIR, dataDir.toString());
  }

  private void putLease(String owner, long pid, Instant expiresAt) {
    Instant t = expiresAt.minus(Duration.ofMinutes(1));
    Lease held =
        new Lease(
            JobLease.name("users"),
            "token-of-" + owner,
            owner,
            "elsewhere",
            1,
            "stream_jobs",
            "manual__old",
            "users_stream",
            1,
            pid,
            null,
            t,
            t,
            expiresAt);
    store.inTransaction(tx -> tx.acquireLease(held, t));
  }

  private String startStreams() {
    var builder = Dag.builder("streams").startDate(LocalDate.of(2024, 1, 1)).catchup(false);
    SluiceConfig config = config();
    builder.task(
        "users_stream",
        new StreamSupervisor(
            "users",
            List.of(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            0,
            Duration.ofSeconds(5),
            ctx -> config,
            null,
            Duration.ofSeconds(30)));
    scheduler =
        new Engines(
                store,
                DagBag.of(Clock.systemUTC(), builder.build()),
                Clock.systemUTC(),
                Sleeper.SYSTEM,
                id -> Optional.empty(),
                EngineOptions.defaults().withShutdownGrace(Duration.ofSeconds(10)))
            .standalone();
    scheduler.start();
    return scheduler.runs().trigger("streams", "{}", null).runId();
  }

  private Optional<Lease> lease() {
    return store.inTransaction(tx -> tx.lease(JobLease.name("users")));
  }

  private String log(String runId) {
    List<String> lines = store.inTransaction(tx -> tx.readLog("streams", runId, "users_stream", 1));
    return String.join("\n", lines);
  }

  private static void await(String what, Duration atMost, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(100);
    }
  }
}
