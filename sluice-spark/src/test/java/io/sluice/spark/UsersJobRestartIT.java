package io.sluice.spark;

import static io.sluice.spark.JobFixture.quietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.spark.launch.SparkJobProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class UsersJobRestartIT {

  private static final int MAX_RECORDS = 10_000;

  @Test
  void shouldNotDuplicateOrLoseRowsWhenTheJobIsKilledMidStreamAndRestartsFromItsCheckpoint(
      LocalStack stack) throws Exception {
    try (JobFixture f = new JobFixture(stack, "users-restart")) {
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      JobFixture.SteadyUsers producer = f.steadyUsers(MAX_RECORDS);
      SparkJobProcess first = f.startJob("users");
      f.awaitJob(
          first,
          "the queries to start",
          Duration.ofSeconds(240),
          () -> java.nio.file.Files.exists(first.progressFile()));
      producer.start();
      f.awaitJob(
          first,
          "the first rows",
          Duration.ofSeconds(240),
          () ->
              quietly(() -> f.count(table), 0L) > 0 && quietly(() -> f.lakeCount("users"), 0L) > 0);
      first.kill();
      assertThat(first.isAlive()).isFalse();

      SparkJobProcess second = f.startJob("users");
      // why: what was produced while no job ran can only reach the tables through the restarted job
      int n = producer.stop();
      f.awaitExactlyUsers(second, n, Duration.ofSeconds(300));
      assertThat(
              f.lake().read().parquet(Lake.path(f.config, "users")).select("id").distinct().count())
          .isEqualTo(n);
    }
  }
}
