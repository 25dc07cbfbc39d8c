package io.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.spark.launch.SparkJobProcess;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice spark run}: available-now runs take up where the checkpoints left off and exit with
 * a summary; a backfill re-processes a time range into Cassandra and a Parquet copy of its own, and
 * gives the same result when repeated.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class BoundedRunsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void availableNowRunsShareTheCheckpointsAndBackfillsAreRepeatable(LocalStack stack)
      throws Exception {
    try (JobFixture f = new JobFixture(stack, "bounded")) {
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);

      f.produceUsers(0, 300);
      JsonNode first = run(f, "--available-now");
      assertThat(first.path("succeeded").asBoolean()).isTrue();
      assertThat(first.path("rows").path("created_users").asLong()).isEqualTo(300);
      assertThat(f.count(table)).isEqualTo(300);
      assertThat(f.lakeCount("users")).isEqualTo(300);

      // the second run starts from the first one's checkpoints: only the new records
      f.produceUsers(300, 500);
      JsonNode second = run(f, "--available-now");
      assertThat(second.path("rows").path("created_users").asLong()).isEqualTo(200);
      assertThat(f.count(table)).isEqualTo(500);
      assertThat(f.lakeCount("users")).isEqualTo(500);

      // a backfill of today (the records' Kafka time) rewrites the same rows, twice over
      String today = LocalDate.now(ZoneOffset.UTC).toString();
      Instant from = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant to = from.plus(Duration.ofDays(1));
      String path = Lake.backfillPath(f.config, "users", from, to);
      for (int i = 0; i < 2; i++) {
        JsonNode backfill = run(f, "--from", today, "--to", today);
        assertThat(backfill.path("rows").path("created_users").asLong()).isEqualTo(500);
        assertThat(backfill.path("rows").path("lake").asLong()).isEqualTo(500);
        assertThat(f.count(table)).isEqualTo(500);
        assertThat(f.lake().read().parquet(path).count()).isEqualTo(500);
        assertThat(f.lake().read().parquet(path).select("id").distinct().count()).isEqualTo(500);
      }
      // the streaming lake is untouched by the backfills
      assertThat(f.lakeCount("users")).isEqualTo(500);
    }
  }

  private static JsonNode run(JobFixture f, String... args) throws Exception {
    SparkJobProcess job = f.startJob("users", args);
    int exit = job.waitFor(Duration.ofMinutes(4));
    assertThat(exit).as("exit code of %s; log:\n%s", List.of(args), f.jobLog(job)).isZero();
    return JSON.readTree(job.summaryFile().toFile());
  }
}
