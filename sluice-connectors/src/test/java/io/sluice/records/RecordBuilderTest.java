package io.sluice.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class RecordBuilderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void aUserHasTheSchemasFieldsInTheSchemasOrderOnTheWire() throws Exception {
    GenericRecord user = RecordFixtures.user();
    byte[] json = JsonRecords.encode(user);

    JsonNode tree = MAPPER.readTree(json);
    List<String> names = new ArrayList<>();
    tree.fieldNames().forEachRemaining(names::add);
    List<String> fields = new ArrayList<>();
    for (Schema.Field f : RecordType.USER.schema().getFields()) fields.add(f.name());
    assertThat(names).isEqualTo(fields).contains("first_name", "post_code", "fetched_at");
    assertThat(tree.get("dob").asText()).isEqualTo("1975-06-01T08:30:00Z");
    assertThat(tree.get("fetched_at").asText()).isEqualTo("2024-03-15T21:00:00.123Z");
    assertThat(JsonRecords.decode(json, RecordType.USER.schema())).isEqualTo(user);
  }

  @Test
  void javaTimesAreStoredAsAvrosGenericValues() {
    GenericRecord hourly = RecordFixtures.hourly();
    assertThat(hourly.get("time")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z").toEpochMilli());
    assertThat(RecordFixtures.daily().get("date"))
        .isEqualTo((int) LocalDate.parse("2024-01-01").toEpochDay());
    byte[] json = JsonRecords.encode(hourly);
    assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"time\":\"2024-01-01T00:00:00Z\"")
        .contains("\"precipitation\":null")
        .contains("\"temperature_2m\":\"°C\"");
    assertThat(JsonRecords.decode(json, RecordType.HOURLY_WEATHER.schema())).isEqualTo(hourly);
  }

  @Test
  void aFieldNotSetKeepsItsDefaultAndAnUnknownFieldIsRefused() {
    GenericRecord sparse = RecordBuilder.of(RecordType.USER).set("schema_version", 1).build();
    assertThat(sparse.get("first_name")).isNull();
    assertThatThrownBy(() -> RecordBuilder.of(RecordType.USER).set("frist_name", "A"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no field 'frist_name'");
  }
}
