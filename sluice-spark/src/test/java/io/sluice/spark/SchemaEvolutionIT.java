package io.sluice.spark;

import static io.sluice.spark.JobFixture.await;
import static io.sluice.spark.JobFixture.bytes;
import static io.sluice.spark.JobFixture.header;
import static io.sluice.spark.JobFixture.quietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.ConfluentWire;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordFormat;
import io.sluice.records.RecordSettings;
import io.sluice.records.RecordType;
import io.sluice.records.RecordWriter;
import io.sluice.records.registry.HttpSchemaRegistry;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.spark.launch.SparkJobProcess;
import io.sluice.spark.sink.CassandraSchema;
import io.sluice.spark.sink.CassandraTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One optional field added to the user schema, by one new {@code .avsc}: Avro records of the old
 * and the new schema, each framed with its id in the schema registry, go through one run of the
 * {@code users} job; Cassandra gains the column by {@code ALTER TABLE ADD}, and Cassandra and the
 * lake hold both kinds, the new column null for the old. A record with a schema id the registry
 * does not know reaches the dead-letter topic with the reason, and neither sink.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3, Service.SCHEMA_REGISTRY})
class SchemaEvolutionIT {
  private static final int OLD = 40;
  private static final int NEW = 40;
  private static final int UNKNOWN_ID = 987_654;

  @Test
  void oldAndNewSchemaRecordsReachCassandraAndTheLakeWithTheNewColumnNullForTheOld(
      LocalStack stack, @TempDir Path schemas) throws Exception {
    Schema v2 = withNickname(RecordType.USER.schema());
    Files.createDirectories(schemas.resolve("user"));
    Files.writeString(schemas.resolve("user/v2.avsc"), v2.toString(true));
    try (JobFixture f =
        new JobFixture(stack, "evolve", Map.of(RecordSettings.SCHEMAS_DIR, schemas.toString()))) {
      String keyspace = f.config.get(Settings.USERS_KEYSPACE);
      String table = keyspace + "." + f.config.get(Settings.USERS_TABLE);
      // the table as the previous schema made it
      CassandraSchema.createKeyspace(f.cassandra, keyspace, "SimpleStrategy:1");
      CassandraTable.of(
              keyspace,
              f.config.get(Settings.USERS_TABLE),
              RecordType.USER.schema(),
              "id",
              Map.of())
          .createOrEvolve(f.cassandra);

      String topic = f.config.get(Settings.USERS_TOPIC);
      SchemaRegistry registry = HttpSchemaRegistry.of(stack.schemaRegistryUrl());
      RecordWriter v1Writer = RecordWriter.of(RecordFormat.AVRO, RecordType.USER, topic, registry);
      int v2Id = registry.register(SchemaRegistry.valueSubject(topic), v2);
      assertThat(v2Id).isNotEqualTo(v1Writer.schemaId());
      List<byte[][]> records = new ArrayList<>();
      for (int i = 0; i < OLD; i++) {
        GenericRecord u = JobFixture.user(i);
        records.add(new byte[][] {bytes(JobFixture.text(u, "id")), v1Writer.write(u)});
      }
      for (int i = OLD; i < OLD + NEW; i++) {
        GenericRecord u = JobFixture.user(i);
        GenericRecord r = JsonRecords.decode(JsonRecords.encode(u), v2);
        r.put("nickname", "nick" + i);
        records.add(new byte[][] {bytes(JobFixture.text(u, "id")), ConfluentWire.encode(v2Id, r)});
      }
      GenericRecord stray = JobFixture.user(OLD + NEW);
      records.add(new byte[][] {bytes("stray"), ConfluentWire.encode(UNKNOWN_ID, stray)});
      f.produce(topic, records);

      SparkJobProcess job = f.startJob("users");
      f.awaitJob(
          job,
          "old and new users in Cassandra",
          Duration.ofSeconds(240),
          () -> quietly(() -> f.count(table), 0L) >= OLD + NEW);
      await(
          "old and new users in the lake",
          Duration.ofSeconds(120),
          () -> quietly(() -> f.lakeCount("users"), 0L) >= OLD + NEW);

      assertThat(f.count(table)).isEqualTo(OLD + NEW);
      assertThat(nickname(f, table, 1)).isNull();
      assertThat(nickname(f, table, OLD + 1)).isEqualTo("nick" + (OLD + 1));

      var lake = f.lake().read().parquet(Lake.path(f.config, "users"));
      assertThat(lake.columns()).contains("nickname");
      assertThat(lake.count()).isEqualTo(OLD + NEW);
      assertThat(lake.where("nickname IS NULL").count()).isEqualTo(OLD);
      assertThat(lake.where("nickname = 'nick" + (OLD + 1) + "'").count()).isEqualTo(1);
      var dlq = f.readAll(f.config.get(Settings.DLQ_TOPIC), 1, Duration.ofSeconds(60));
      assertThat(dlq).hasSize(1);
      assertThat(new String(dlq.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("stray");
      assertThat(header(dlq.get(0), "sluice.stage")).isEqualTo("parse");
      assertThat(header(dlq.get(0), "sluice.error")).startsWith("unknown schema id " + UNKNOWN_ID);
      assertThat(
              f.cassandra
                  .execute(
                      "SELECT id FROM " + table + " WHERE id = ?",
                      UUID.fromString(JobFixture.text(stray, "id")))
                  .one())
          .isNull();
      assertThat(job.isAlive()).isTrue();
    }
  }

  private static String nickname(JobFixture f, String table, int i) {
    var row =
        f.cassandra
            .execute(
                "SELECT nickname FROM " + table + " WHERE id = ?",
                UUID.fromString(JobFixture.text(JobFixture.user(i), "id")))
            .one();
    assertThat(row).as("user %d in Cassandra", i).isNotNull();
    return row.getString("nickname");
  }

  private static Schema withNickname(Schema schema) {
    String json = schema.toString();
    int end = json.lastIndexOf(']');
    return new Schema.Parser()
        .parse(
            json.substring(0, end)
                + ",{\"name\":\"nickname\",\"type\":[\"null\",\"string\"],\"default\":null}"
                + json.substring(end));
  }
}
