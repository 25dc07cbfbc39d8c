package io.sluice.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.kafka.ValueEncoder.Format;
import io.sluice.records.ConfluentWire;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.records.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class ValueEncoderTest {
  private static final Schema USER =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                  + "{\"name\":\"first_name\",\"type\":\"string\"}]}");

  /** A registry with one subject, users-value, whose latest schema is {@link #USER} with id 7. */
  private static final SchemaRegistry REGISTRY =
      new SchemaRegistry() {
        @Override
        public int register(String subject, Schema schema) {
          return 8;
        }

        @Override
        public Schema schemaById(int id) {
          return USER;
        }

        @Override
        public Latest latest(String subject) {
          if (!subject.equals("users-value"))
            throw new SchemaRegistryException(
                SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject not found");
          return new Latest(7, 2, USER);
        }
      };

  @Test
  void aJsonValueOfATopicWithASchemaIsWrittenAsAvroInConfluentsWireFormat() {
    ValueEncoder values = ValueEncoder.of(REGISTRY, "users", Format.AVRO_OR_TEXT, null);
    byte[] bytes = values.encode("{\"id\": \"u1\", \"first_name\": \"Ada\"}");
    assertThat(ConfluentWire.framed(bytes)).isTrue();
    assertThat(ConfluentWire.schemaId(bytes)).isEqualTo(7);
    assertThat(values.format()).isEqualTo("avro");
    assertThat(values.schemaId()).isEqualTo(7);
    assertThat(values.description()).isEqualTo("Avro (schema id 7, users-value)");
  }

  @Test
  void aValueNotMatchingTheSchemaIsRefusedWithAvrosReason() {
    ValueEncoder values = ValueEncoder.of(REGISTRY, "users", Format.AVRO_OR_JSON, null);
    assertThatThrownBy(() -> values.encode("{\"id\": \"u1\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not match Avro (schema id 7, users-value)")
        .hasMessageContaining("first_name");
  }

  @Test
  void aTopicWithoutASchemaTakesTextOrJsonAsTheFormatSays() {
    ValueEncoder text = ValueEncoder.of(REGISTRY, "plain", Format.AVRO_OR_TEXT, null);
    assertThat(text.encode("hello, ü")).isEqualTo("hello, ü".getBytes(StandardCharsets.UTF_8));
    assertThat(text.format()).isEqualTo("text");
    assertThat(text.schemaId()).isNull();
    ValueEncoder json = ValueEncoder.of(REGISTRY, "plain", Format.AVRO_OR_JSON, null);
    assertThat(json.format()).isEqualTo("json");
    assertThatThrownBy(() -> json.encode("hello")).hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> ValueEncoder.of(REGISTRY, "plain", Format.AVRO, null))
        .hasMessage("no schema under plain-value in the schema registry");
  }

  @Test
  void aGivenSchemaIsRegisteredAndWrittenWith() {
    ValueEncoder values = ValueEncoder.of(REGISTRY, "users", Format.AVRO, USER.toString());
    assertThat(values.schemaId()).isEqualTo(8);
    assertThatThrownBy(() -> ValueEncoder.of(REGISTRY, "users", Format.AVRO, "{nope"))
        .hasMessageStartingWith("users-value: not an Avro schema");
  }
}
