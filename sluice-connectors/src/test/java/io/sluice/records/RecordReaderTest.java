package io.sluice.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.record.RecordFormatException;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.records.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
  private static final String TOPIC = "users_created";
  private final FakeRegistry registry = new FakeRegistry();

  @Test
  void writesConfluentFramedAvroUnderTheTopicsValueSubject() {
    RecordWriter writer = RecordWriter.of(RecordFormat.AVRO, RecordType.USER, TOPIC, registry);
    byte[] value = writer.write(user("Ann"));
    assertThat(value[0]).isZero();
    assertThat(ConfluentWire.schemaId(value)).isEqualTo(writer.schemaId()).isEqualTo(1);
    assertThat(registry.subjects).containsExactly("users_created-value");
    assertThat(value.length).isLessThan(JsonRecords.encode(user("Ann")).length);
    GenericRecord back = new RecordReader(RecordType.USER, registry).read(value);
    assertThat(back).isEqualTo(user("Ann"));
  }

  @Test
  void readsOlderAndNewerCompatibleWritersIntoTheCurrentSchema() {
    Schema v2 = withNickname(RecordType.USER.schema());
    byte[] old =
        RecordWriter.of(RecordFormat.AVRO, RecordType.USER, TOPIC, registry).write(user("Ann"));
    int v2Id = registry.register("users_created-value", v2);
    GenericRecord newer =
        new GenericRecordBuilder(v2)
            .set("schema_version", 1)
            .set("first_name", "Bob")
            .set("nickname", "bobby")
            .build();
    byte[] fresh = ConfluentWire.encode(v2Id, newer);

    RecordReader v2Reader = new RecordReader(v2, registry);
    assertThat(v2Reader.read(old).get("nickname")).isNull();
    assertThat(v2Reader.read(old).get("first_name")).hasToString("Ann");
    assertThat(v2Reader.read(fresh).get("nickname")).hasToString("bobby");
    RecordReader v1Reader = new RecordReader(RecordType.USER, registry);
    assertThat(v1Reader.read(fresh).get("first_name")).hasToString("Bob");
  }

  @Test
  void anUnknownSchemaIdOrBytesThatAreNotAvroAreBadRecordsWithTheReason() {
    RecordReader reader = new RecordReader(RecordType.USER, registry);
    byte[] unknown = ConfluentWire.encode(42, user("Ann"));
    assertThatThrownBy(() -> reader.read(unknown))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("unknown schema id 42");
    assertThatThrownBy(() -> reader.read(new byte[] {7, 1, 2, 3, 4, 5}))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("neither Confluent Avro");
    int id = registry.register("users_created-value", RecordType.USER.schema());
    assertThatThrownBy(() -> reader.read(new byte[] {0, 0, 0, 0, (byte) id, (byte) 0xff}))
        .isInstanceOf(RecordFormatException.class)
        .hasMessageContaining("not Avro of schema id " + id);
  }

  @Test
  void oneReaderReadsRecordAfterRecordAfterABadOneEachWhole() {
    RecordWriter writer = RecordWriter.of(RecordFormat.AVRO, RecordType.USER, TOPIC, registry);
    RecordReader reader = new RecordReader(RecordType.USER, registry);
    byte[] ann = writer.write(user("Ann"));
    byte[] truncated = java.util.Arrays.copyOf(ann, ann.length - 3);
    assertThatThrownBy(() -> reader.read(truncated)).isInstanceOf(RecordFormatException.class);
    GenericRecord first = reader.read(ann);
    GenericRecord second = reader.read(writer.write(user("Bob")));
    assertThat(first).isEqualTo(user("Ann"));
    assertThat(second).isEqualTo(user("Bob"));
  }

  @Test
  void jsonTopicsStayReadable() {
    RecordWriter writer = RecordWriter.of(RecordFormat.JSON, RecordType.USER, TOPIC, null);
    byte[] value = writer.write(user("Ann"));
    assertThat(new String(value, StandardCharsets.UTF_8)).startsWith("{\"schema_version\":1");
    assertThat(new RecordReader(RecordType.USER, null).read(value)).isEqualTo(user("Ann"));
  }

  private static GenericRecord user(String firstName) {
    return new GenericRecordBuilder(RecordType.USER.schema())
        .set("schema_version", 1)
        .set("first_name", firstName)
        .set("fetched_at", 1_700_000_000_123L)
        .build();
  }

  static Schema withNickname(Schema schema) {
    String json = schema.toString();
    int end = json.lastIndexOf(']');
    return new Schema.Parser()
        .parse(
            json.substring(0, end)
                + ",{\"name\":\"nickname\",\"type\":[\"null\",\"string\"],\"default\":null}"
                + json.substring(end));
  }

  /** A registry in memory: ids from 1, one per distinct schema. */
  static final class FakeRegistry implements SchemaRegistry {
    final List<Schema> schemas = new ArrayList<>();
    final List<String> subjects = new ArrayList<>();
    final Map<String, Schema> newest = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
      if (!subjects.contains(subject)) subjects.add(subject);
      newest.put(subject, schema);
      int i = schemas.indexOf(schema);
      if (i < 0) {
        schemas.add(schema);
        i = schemas.size() - 1;
      }
      return i + 1;
    }

    @Override
    public synchronized Schema schemaById(int id) {
      if (id < 1 || id > schemas.size())
        throw new SchemaRegistryException(
            SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
      return schemas.get(id - 1);
    }

    @Override
    public synchronized Latest latest(String subject) {
      Schema schema = newest.get(subject);
      if (schema == null)
        throw new SchemaRegistryException(
            SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject " + subject + " not found");
      return new Latest(schemas.indexOf(schema) + 1, 1, schema);
    }
  }
}
