package io.sluice.spark;

import static io.sluice.spark.JobFixture.quietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.spark.launch.SparkJobProcess;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
      AtomicBoolean producing = new AtomicBoolean(true);
      AtomicInteger produced = new AtomicInteger();
      Thread producer =
          new Thread(
              () -> {
                while (producing.get() && produced.get() < MAX_RECORDS) {
                  int from = produced.get();
                  f.produceUsers(from, from + 20);
                  produced.addAndGet(20);
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "users-producer");
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
      producing.set(false);
      producer.join();
      int n = produced.get();
      f.awaitJob(
          second,
          "every row",
          Duration.ofSeconds(300),
          () -> quietly(() -> f.count(table), 0L) >= n);
      f.awaitJob(
          second,
          "every lake record",
          Duration.ofSeconds(120),
          () -> quietly(() -> f.lakeCount("users"), 0L) >= n);

      assertThat(f.count(table)).isEqualTo(n);
      assertThat(f.lakeCount("users")).isEqualTo(n);
      assertThat(
              f.lake().read().parquet(Lake.path(f.config, "users")).select("id").distinct().count())
          .isEqualTo(n);
    }
  }
}
