package io.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.core.config.Settings;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.time.Sleeper;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.spark.launch.SparkJobProcess;
import io.sluice.spark.operator.SparkSubmitTaskType;
import io.sluice.spark.operator.StreamSupervisor;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class StreamTaskIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void streamTaskReattachesRestartsADeadJobAndStopsItWithTheScheduler(LocalStack stack)
      throws Exception {
    try (JobFixture f = new JobFixture(stack, "stream-task")) {
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      Path health = SparkJobProcess.directory(f.config, "users").resolve("health.json");
      f.produceUsers(0, 50);
      // a job JVM already running, as after a scheduler crash, is re-attached, not duplicated
      SparkJobProcess first = f.startJob("users");

      var builder = Dag.builder("streams").startDate(LocalDate.of(2024, 1, 1)).catchup(false);
      builder.task(
          "users_stream",
          new StreamSupervisor(
              "users",
              List.of(),
              Duration.ofSeconds(1),
              Duration.ofSeconds(10),
              Integer.MAX_VALUE,
              Duration.ofSeconds(20),
              ctx -> f.config,
              null,
              Duration.ofSeconds(30)));
      Dag dag = builder.build();
      JdbcStore store = MetadataDatabases.inMemory();
      EngineLoop scheduler =
          new Engines(
                  store,
                  DagBag.of(Clock.systemUTC(), dag),
                  Clock.systemUTC(),
                  Sleeper.SYSTEM,
                  id -> Optional.empty(),
                  EngineOptions.defaults().withShutdownGrace(Duration.ofSeconds(1)))
              .standalone();
      try {
        scheduler.start();
        scheduler.runs().trigger("streams", "{}", null);

        JobFixture.await(
            "the task to re-attach to pid " + first.pid(),
            Duration.ofSeconds(60),
            () -> pid(health) == first.pid() && "running".equals(field(health, "state")));
        JobFixture.await(
            "50 users in Cassandra",
            Duration.ofSeconds(120),
            () -> JobFixture.quietly(() -> f.count(table), 0L) == 50);

        first.kill();
        JobFixture.await(
            "a restart after the job died",
            Duration.ofSeconds(60),
            () ->
                "1".equals(field(health, "restarts"))
                    && pid(health) != first.pid()
                    && alive(pid(health)));
        long second = pid(health);

        f.produceUsers(50, 120);
        JobFixture.await(
            "120 users in Cassandra after the restart",
            Duration.ofSeconds(120),
            () -> JobFixture.quietly(() -> f.count(table), 0L) == 120);
        assertThat(f.count(table)).isEqualTo(120);

        scheduler.close();
        JobFixture.await(
            "the job to stop with the scheduler", Duration.ofSeconds(60), () -> !alive(second));
        assertThat(field(health, "state")).isIn("stopped", "stopping");
      } finally {
        scheduler.close();
        store.close();
      }
    }
  }

  @Test
  void sparkSubmitRunsABoundedJobLocallyAndReturnsItsSummary(LocalStack stack) throws Exception {
    try (JobFixture f = new JobFixture(stack, "submit-task")) {
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      f.produceUsers(0, 40);
      var builder = Dag.builder("bounded").startDate(LocalDate.of(2024, 1, 1)).catchup(false);
      builder.task(
          "submit",
          SparkSubmitTaskType.task(
              "users",
              Optional.empty(),
              Optional.empty(),
              Optional.of("local[2]"),
              java.util.Map.of(),
              Optional.empty(),
              "spark_default",
              ctx -> f.config));
      JdbcStore store = MetadataDatabases.inMemory();
      EngineLoop scheduler =
          new Engines(
                  store,
                  DagBag.of(Clock.systemUTC(), builder.build()),
                  Clock.systemUTC(),
                  Sleeper.SYSTEM,
                  id -> Optional.empty(),
                  EngineOptions.defaults())
              .standalone();
      try {
        scheduler.start();
        var run = scheduler.runs().trigger("bounded", "{}", null);
        JobFixture.await(
            "the bounded run to end",
            Duration.ofMinutes(4),
            () -> {
              var state =
                  store.inTransaction(tx -> tx.run("bounded", run.runId())).orElseThrow().state();
              return state == DagRunState.SUCCESS || state == DagRunState.FAILED;
            });
        assertThat(store.inTransaction(tx -> tx.run("bounded", run.runId())).orElseThrow().state())
            .isEqualTo(DagRunState.SUCCESS);
        // the driver ran to the end of the topic and exited: every user is in Cassandra
        assertThat(f.count(table)).isEqualTo(40);
        Optional<String> summary =
            store.inTransaction(tx -> tx.xcom("bounded", run.runId(), "submit", "return_value"));
        assertThat(summary).isPresent();
        assertThat(SparkJobProcess.attach(f.config, "users")).isEmpty();
      } finally {
        scheduler.close();
        store.close();
      }
    }
  }

  private static long pid(Path health) {
    String v = field(health, "pid");
    return v == null ? -1 : Long.parseLong(v);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static String field(Path health, String name) {
    try {
      if (!Files.exists(health)) return null;
      JsonNode node = JSON.readTree(health.toFile()).get(name);
      return node == null || node.isNull() ? null : node.asText();
    } catch (Exception e) {
      return null;
    }
  }
}
