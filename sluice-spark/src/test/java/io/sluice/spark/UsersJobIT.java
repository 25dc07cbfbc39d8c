package io.sluice.spark;

import static io.sluice.spark.JobFixture.await;
import static io.sluice.spark.JobFixture.bytes;
import static io.sluice.spark.JobFixture.header;
import static io.sluice.spark.JobFixture.quietly;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.Row;
import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.JsonRecords;
import io.sluice.spark.launch.SparkJobProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class UsersJobIT {
  private static final int N = 500;

  @Test
  void storesEveryValidUserOnceAndSendsBadRecordsToTheDeadLetterTopic(LocalStack stack)
      throws Exception {
    try (JobFixture f = new JobFixture(stack, "users-e2e")) {
      String topic = f.config.get(Settings.USERS_TOPIC);
      f.produceUsers(0, N);
      List<byte[][]> bad = new ArrayList<>();
      bad.add(new byte[][] {bytes("k1"), bytes("{not json")});
      GenericRecord noEmail =
          JobFixture.userBuilder(10_001)
              .set("first_name", "A")
              .set("last_name", "B")
              .set("gender", "")
              .set("address", "")
              .set("email", "")
              .set("username", "ab")
              .set("phone", "")
              .set("picture", "")
              .build();
      bad.add(new byte[][] {bytes(JobFixture.text(noEmail, "id")), JsonRecords.encode(noEmail)});
      GenericRecord rawPostCode =
          JobFixture.userBuilder(10_002)
              .set("first_name", "A")
              .set("last_name", "B")
              .set("gender", "")
              .set("address", "")
              .set("post_code", "97201")
              .set("email", "a@b.org")
              .set("username", "ab")
              .set("phone", "")
              .set("picture", "")
              .build();
      bad.add(
          new byte[][] {
            bytes(JobFixture.text(rawPostCode, "id")), JsonRecords.encode(rawPostCode)
          });
      bad.add(
          new byte[][] {
            bytes("k4"),
            bytes(
                new String(JsonRecords.encode(JobFixture.user(10_003)))
                    .replace("\"schema_version\":1", "\"schema_version\":2"))
          });
      f.produce(topic, bad);

      SparkJobProcess job = f.startJob("users");
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      f.awaitJob(
          job,
          "all users in Cassandra",
          Duration.ofSeconds(240),
          () -> quietly(() -> f.count(table), 0L) >= N);
      await(
          "all users in the lake",
          Duration.ofSeconds(120),
          () -> quietly(() -> f.lakeCount("users"), 0L) >= N);

      List<ConsumerRecord<byte[], byte[]>> dlq =
          f.readAll(f.config.get(Settings.DLQ_TOPIC), bad.size(), Duration.ofSeconds(30));
      assertThat(f.count(table)).isEqualTo(N);
      assertThat(f.lakeCount("users")).isEqualTo(N);
      assertThat(dlq).hasSize(bad.size());
      assertThat(dlq)
          .extracting(r -> header(r, "sluice.stage"))
          .containsExactlyInAnyOrder("parse", "validate", "validate", "parse");
      assertThat(dlq)
          .extracting(r -> header(r, "sluice.error"))
          .anyMatch(e -> e.contains("email is missing"))
          .anyMatch(e -> e.contains("post_code is not an HMAC"))
          .anyMatch(e -> e.contains("schema_version"))
          .allMatch(e -> !e.isBlank());
      assertThat(dlq)
          .allMatch(r -> topic.equals(header(r, "sluice.source.topic")))
          .allMatch(r -> header(r, "sluice.source.offset") != null);
      assertThat(
              new String(
                  dlq.stream()
                      .filter(r -> "k1".equals(new String(r.key())))
                      .findFirst()
                      .orElseThrow()
                      .value()))
          .isEqualTo("{not json");

      GenericRecord expected = JobFixture.user(42);
      Row row =
          f.cassandra
              .execute(
                  "SELECT * FROM " + table + " WHERE id = ?",
                  UUID.fromString(JobFixture.text(expected, "id")))
              .one();
      assertThat(row).isNotNull();
      assertThat(row.getString("first_name")).isEqualTo(JobFixture.text(expected, "first_name"));
      assertThat(row.getString("last_name")).isEqualTo(JobFixture.text(expected, "last_name"));
      assertThat(row.getString("email")).isEqualTo(JobFixture.text(expected, "email"));
      assertThat(row.getString("address")).isEqualTo(JobFixture.text(expected, "address"));
      assertThat(row.getString("post_code"))
          .isEqualTo(JobFixture.text(expected, "post_code"))
          .hasSize(64);
      assertThat(row.getInstant("dob")).isEqualTo(JobFixture.instant(expected, "dob"));
      assertThat(row.getInstant("registered_date"))
          .isEqualTo(JobFixture.instant(expected, "registered_date"));
      assertThat(row.getString("picture")).isEqualTo(JobFixture.text(expected, "picture"));

      var lakeRow =
          f.lake()
              .read()
              .parquet(Lake.path(f.config, "users"))
              .where("id = '" + JobFixture.text(expected, "id") + "'")
              .collectAsList();
      assertThat(lakeRow).hasSize(1);
      assertThat(lakeRow.get(0).<String>getAs("post_code"))
          .isEqualTo(JobFixture.text(expected, "post_code"));
      assertThat(
              f.lake().read().parquet(Lake.path(f.config, "users")).select("id").distinct().count())
          .isEqualTo(N);
      assertThat(job.isAlive()).isTrue();
    }
  }
}
