package io.sluice.spark;

import static io.sluice.spark.JobFixture.bytes;
import static io.sluice.spark.JobFixture.header;
import static io.sluice.spark.JobFixture.quietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.JsonRecords;
import io.sluice.spark.launch.SparkJobProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The users job with {@code spark.mode: realtime}: exact counts across a kill -9 of its JVM. */
@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class UsersRealtimeIT {
  private static final int AFTER_RESTART = 300;

  @Test
  void storesEveryUserOnceAcrossAKillOfTheJobInRealTimeMode(LocalStack stack) throws Exception {
    try (JobFixture f =
        new JobFixture(
            stack,
            "users-realtime",
            Map.of(
                SparkSettings.SPARK_MODE,
                SparkSettings.REALTIME,
                SparkSettings.SPARK_REALTIME_BATCH,
                "PT10S"))) {
      String topic = f.config.get(Settings.USERS_TOPIC);
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      JobFixture.SteadyUsers producer = f.steadyUsers(Integer.MAX_VALUE);
      f.produce(topic, List.<byte[][]>of(new byte[][] {bytes("bad-1"), bytes("{not json")}));

      SparkJobProcess first = f.startJob("users");
      producer.start();
      f.awaitJob(
          first,
          "rows from the real-time query",
          Duration.ofSeconds(180),
          () -> quietly(() -> f.count(table), 0L) >= 100);
      first.kill();
      assertThat(first.isAlive()).isFalse();
      assertThat(Files.readString(first.log())).contains("users-cassandra runs in real-time mode");

      SparkJobProcess second = f.startJob("users");
      // why: what was produced while no job ran can only reach the table through the restarted job
      int before = producer.stop();
      f.awaitJob(
          second,
          "the rows produced before the restart",
          Duration.ofSeconds(180),
          () -> quietly(() -> f.count(table), 0L) >= before);
      f.produceUsers(before, before + AFTER_RESTART);
      f.produce(topic, List.<byte[][]>of(new byte[][] {bytes("bad-2"), invalidUser()}));
      int n = before + AFTER_RESTART;
      f.awaitExactlyUsers(second, n, Duration.ofSeconds(120));
      List<ConsumerRecord<byte[], byte[]>> dlq =
          f.readAll(f.config.get(Settings.DLQ_TOPIC), 2, Duration.ofSeconds(30));
      // why: a dead letter sent in a batch that the kill cut short is sent again when the batch is
      // replayed; the source coordinates in its headers identify it
      assertThat(
              dlq.stream()
                  .map(
                      r ->
                          header(r, "sluice.source.partition")
                              + "/"
                              + header(r, "sluice.source.offset"))
                  .distinct())
          .hasSize(2);
      assertThat(dlq)
          .extracting(r -> new String(r.key()) + ":" + header(r, "sluice.stage"))
          .contains("bad-1:parse", "bad-2:validate");
      assertThat(second.isAlive()).isTrue();
    }
  }

  private static byte[] invalidUser() {
    return JsonRecords.encode(JobFixture.userBuilder(1_000_000).set("email", "").build());
  }
}
