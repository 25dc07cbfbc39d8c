package io.sluice.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemaregistry.SchemaDiff.Change;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaDiffTest {
  private static Schema parse(String fields) {
    return new Schema.Parser()
        .parse("{\"type\":\"record\",\"name\":\"User\",\"fields\":[" + fields + "]}");
  }

  @Test
  void namesAddedRemovedAndChangedFieldsInOrder() {
    Schema from =
        parse(
            "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"},"
                + "{\"name\":\"city\",\"type\":\"string\"}");
    Schema to =
        parse(
            "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"long\"},"
                + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}");
    assertThat(SchemaDiff.between(from, to))
        .containsExactly(
            new Change("changed", "age", "\"int\"", "\"long\""),
            new Change("removed", "city", "\"string\"", null),
            new Change("added", "email", null, "[\"null\",\"string\"] default null"));
  }

  @Test
  void walksIntoNestedRecordsByPath() {
    String address = "{\"type\":\"record\",\"name\":\"Address\",\"fields\":[%s]}";
    Schema from =
        parse(
            "{\"name\":\"address\",\"type\":"
                + address.formatted("{\"name\":\"street\",\"type\":\"string\"}")
                + "}");
    Schema to =
        parse(
            "{\"name\":\"address\",\"type\":"
                + address.formatted(
                    "{\"name\":\"street\",\"type\":\"string\"},{\"name\":\"zip\",\"type\":\"string\",\"default\":\"\"}")
                + "}");
    assertThat(SchemaDiff.between(from, to))
        .containsExactly(new Change("added", "address.zip", null, "\"string\" default "));
  }

  @Test
  void theSameSchemaHasNoChanges() {
    Schema s = parse("{\"name\":\"id\",\"type\":\"string\"}");
    assertThat(SchemaDiff.between(s, s)).isEmpty();
  }
}
