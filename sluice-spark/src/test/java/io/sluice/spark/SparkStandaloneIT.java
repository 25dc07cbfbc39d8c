package io.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.spark.cluster.SparkSubmitProcess;
import io.sluice.spark.cluster.StandaloneCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The users job, unchanged, on a Spark standalone cluster (a master and a worker JVM): submitted in
 * client mode with the shaded job jar, its executors run on the worker and write to the local
 * stack's Cassandra.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class SparkStandaloneIT {
  private static final int N = 1_000;
  private static final Path JOB_JAR = Path.of("target", "sluice-spark-jobs.jar");

  @Test
  void usersJobSubmittedToAStandaloneClusterStoresEveryUserOnce(LocalStack stack) throws Exception {
    assertThat(JOB_JAR).as("the shaded job jar (mvn package builds it)").isRegularFile();
    try (JobFixture f = new JobFixture(stack, "standalone");
        StandaloneCluster cluster =
            StandaloneCluster.start(
                f.config.dataDir().resolve("spark-cluster"),
                new StandaloneCluster.Options(0, 1, "1g"),
                Duration.ofMinutes(2))) {
      f.produceUsers(0, N);
      Path log = f.config.dataDir().resolve("submit.log");
      Process driver =
          SparkSubmitProcess.builder(
                  f.config,
                  cluster.masterUrl(),
                  JOB_JAR,
                  "users",
                  List.of("--available-now"),
                  Map.of("spark.executor.memory", "768m"))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        assertThat(driver.waitFor(4, TimeUnit.MINUTES))
            .as("the driver ends within 4 minutes")
            .isTrue();
      } finally {
        driver.destroyForcibly();
      }
      assertThat(driver.exitValue()).as("driver exit code; its log:\n%s", tail(log)).isZero();

      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      assertThat(f.count(table)).isEqualTo(N);
      // the executors ran on the worker, with the job jar they fetched from the driver
      try (Stream<Path> files = Files.walk(cluster.workDir())) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .contains("sluice-spark-jobs.jar", "stderr");
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (Exception e) {
      return "(no log)";
    }
  }
}
