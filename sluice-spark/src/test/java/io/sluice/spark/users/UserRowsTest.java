package io.sluice.spark.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.records.ConfluentWire;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordReader;
import io.sluice.records.RecordType;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.records.registry.SchemaRegistryException;
import io.sluice.spark.sink.DeadLetters.Stage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class UserRowsTest {
  /** A registry that knows one schema, id 1. */
  private static final SchemaRegistry ONE_SCHEMA =
      new SchemaRegistry() {
        @Override
        public int register(String subject, Schema schema) {
          return 1;
        }

        @Override
        public Schema schemaById(int id) {
          if (id != 1)
            throw new SchemaRegistryException(
                SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
          return RecordType.USER.schema();
        }

        @Override
        public Latest latest(String subject) {
          return new Latest(1, 1, RecordType.USER.schema());
        }
      };

  private final RecordReader reader = new RecordReader(RecordType.USER, ONE_SCHEMA);

  @Test
  void aUserInAvroOrJsonBecomesTheSameRowByColumnName() {
    GenericRecord user =
        UserValidatorTest.user(
            "6f1c2b1e-8a4d-4b6e-9c1a-0d2e3f4a5b6c",
            "ann@example.org",
            UserValidatorTest.HMAC,
            null);
    Row fromAvro = UserRows.toRow(kafka(ConfluentWire.encode(1, user)), reader);
    Row fromJson = UserRows.toRow(kafka(JsonRecords.encode(user)), reader);
    for (Row row : new Row[] {fromAvro, fromJson}) {
      assertThat(row.isNullAt(UserRows.ERROR_STAGE)).isTrue();
      assertThat(row.get(UserRows.SCHEMA.fieldIndex("id")))
          .isEqualTo("6f1c2b1e-8a4d-4b6e-9c1a-0d2e3f4a5b6c");
      assertThat(row.get(UserRows.SCHEMA.fieldIndex("fetched_at")))
          .isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
      assertThat(row.get(UserRows.SCHEMA.fieldIndex("schema_version"))).isEqualTo(1);
    }
    assertThat(UserRows.USER_COLUMNS)
        .containsExactlyElementsOf(
            RecordType.USER.schema().getFields().stream().map(Schema.Field::name).toList());
  }

  @Test
  void anUnknownSchemaIdIsAParseFailureWithItsReason() {
    GenericRecord user =
        UserValidatorTest.user("x", "ann@example.org", UserValidatorTest.HMAC, null);
    Row row = UserRows.toRow(kafka(ConfluentWire.encode(42, user)), reader);
    assertThat(row.getString(UserRows.ERROR_STAGE)).isEqualTo("parse");
    assertThat(row.getString(UserRows.ERROR)).startsWith("unknown schema id 42");
    assertThat(row.isNullAt(0)).isTrue();
  }

  @Test
  void decodeGivesTheUserOrTheRefusingStageAndReason() {
    GenericRecord valid =
        UserValidatorTest.user(
            "6f1c2b1e-8a4d-4b6e-9c1a-0d2e3f4a5b6c",
            "ann@example.org",
            UserValidatorTest.HMAC,
            null);
    UserRows.Decoded ok = UserRows.decode(ConfluentWire.encode(1, valid), reader);
    assertThat(ok.user()).isEqualTo(valid);
    assertThat(ok.stage()).isNull();

    GenericRecord invalid = UserValidatorTest.user("x", "ann@example.org", "12345", null);
    UserRows.Decoded refused = UserRows.decode(ConfluentWire.encode(1, invalid), reader);
    assertThat(refused.user()).isNull();
    assertThat(refused.stage()).isEqualTo(Stage.VALIDATE);
    assertThat(refused.error()).contains("id is not a UUID: x").contains("post_code");

    UserRows.Decoded garbage = UserRows.decode("not json".getBytes(StandardCharsets.UTF_8), reader);
    assertThat(garbage.stage()).isEqualTo(Stage.PARSE);
    assertThat(garbage.error()).contains("neither Confluent Avro");
  }

  private static Row kafka(byte[] value) {
    return RowFactory.create(
        "k".getBytes(StandardCharsets.UTF_8), value, "users", 0, 7L, Instant.EPOCH);
  }
}
