package io.sluice.spark;

import static io.sluice.spark.JobFixture.quietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.cassandra.CassandraNode;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.spark.launch.SparkJobProcess;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Cassandra becomes unreachable for 30 s while users stream in: the node's JVM is frozen (SIGSTOP),
 * so connections hang and requests time out as with a network partition, then it resumes.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class CassandraOutageIT {

  private static final int MAX_RECORDS = 30_000;

  /** Fault test F3 of issue 8 asks for 60 s: {@code -Dsluice.faults.outage-seconds=60}. */
  private static final int OUTAGE_SECONDS = Integer.getInteger("sluice.faults.outage-seconds", 30);

  @Test
  void waitsOutACassandraOutageThenCatchesUpWithNothingLost(LocalStack stack) throws Exception {
    ProcessHandle cassandra =
        ProcessHandle.current()
            .descendants()
            .filter(CassandraNode::isCassandraNode)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Cassandra child JVM"));
    try (JobFixture f = new JobFixture(stack, "users-outage")) {
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      JobFixture.SteadyUsers producer = f.steadyUsers(MAX_RECORDS);
      SparkJobProcess job = f.startJob("users");
      f.awaitJob(
          job,
          "the queries to start",
          Duration.ofSeconds(240),
          () -> java.nio.file.Files.exists(job.progressFile()));
      producer.start();
      f.awaitJob(
          job,
          "the first rows",
          Duration.ofSeconds(240),
          () -> quietly(() -> f.count(table), 0L) > 0);

      signal(cassandra, "STOP");
      try {
        Instant resume = Instant.now().plusSeconds(OUTAGE_SECONDS);
        f.awaitJob(
            job,
            OUTAGE_SECONDS + " s of outage",
            Duration.ofSeconds(OUTAGE_SECONDS + 10),
            () -> Instant.now().isAfter(resume));
      } finally {
        signal(cassandra, "CONT");
      }
      int n = producer.stop();
      f.awaitJob(
          job,
          "every row after the outage",
          Duration.ofSeconds(180),
          () -> quietly(() -> f.count(table), 0L) >= n);

      f.awaitJob(
          job,
          "every lake record",
          Duration.ofSeconds(120),
          () -> quietly(() -> f.lakeCount("users"), 0L) >= n);

      assertThat(job.isAlive()).isTrue();
      assertThat(f.count(table)).isEqualTo(n);
      assertThat(f.lakeCount("users")).isEqualTo(n);
      assertThat(f.readAll(f.config.get(Settings.DLQ_TOPIC), 0, Duration.ofSeconds(2))).isEmpty();
    }
  }

  private static void signal(ProcessHandle process, String signal) throws Exception {
    int code =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    assertThat(code).as("kill -" + signal).isZero();
  }
}
