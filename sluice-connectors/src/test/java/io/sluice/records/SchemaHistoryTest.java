package io.sluice.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaHistoryTest {

  @ParameterizedTest
  @EnumSource(RecordType.class)
  void everyCommittedSchemaIsFullyCompatibleWithEveryEarlierVersion(RecordType type) {
    assertThat(SchemaHistory.breaks(type.schemaName(), type.history())).isEmpty();
    assertThat(type.schema().getType()).isEqualTo(Schema.Type.RECORD);
  }

  @Test
  void anOptionalFieldWithADefaultIsACompatibleChange() {
    assertThat(SchemaHistory.breaks("user", history("[\"null\", \"string\"]", "null"))).isEmpty();
  }

  @Test
  void aRequiredFieldWithoutADefaultFailsNamingTheFieldAndTheRule() {
    List<String> breaks = SchemaHistory.breaks("user", history("\"string\"", null));
    assertThat(breaks)
        .isNotEmpty()
        .first()
        .asString()
        .contains("user v2 cannot read records written with v1")
        .contains("field 'nickname' is required and has no default")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains(SchemaHistory.RULE);
  }

  @Test
  void aChangedTypeFailsNamingTheRule() {
    String v1 = RecordType.USER.schema().toString();
    Schema changed =
        new Schema.Parser()
            .parse(
                v1.replace(
                    "\"schema_version\",\"type\":\"int\"",
                    "\"schema_version\",\"type\":\"string\""));
    assertThat(SchemaHistory.breaks("user", List.of(RecordType.USER.schema(), changed)))
        .anyMatch(m -> m.contains("TYPE_MISMATCH") && m.contains("/fields/0"));
  }

  @Test
  void aDirectoryOfFurtherVersionsExtendsTheHistoryAndIsChecked(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("user"));
    Path v2 = dir.resolve("user/v2.avsc");
    Files.writeString(v2, history("[\"null\", \"string\"]", "null").get(1).toString());
    System.setProperty(RecordType.DIR_PROPERTY, dir.toString());
    try {
      List<Schema> loaded = RecordType.load("user");
      assertThat(loaded).hasSize(2);
      assertThat(loaded.get(1).getField("nickname")).isNotNull();
      Files.writeString(v2, history("\"string\"", null).get(1).toString());
      assertThatThrownBy(() -> RecordType.load("user"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("field 'nickname' is required and has no default");
    } finally {
      System.clearProperty(RecordType.DIR_PROPERTY);
    }
  }

  /** The current user schema, then it with a field {@code nickname} of {@code type}. */
  private static List<Schema> history(String type, String defaultJson) {
    String v1 = RecordType.USER.schema().toString();
    String field =
        "{\"name\":\"nickname\",\"type\":"
            + type
            + (defaultJson == null ? "" : ",\"default\":" + defaultJson)
            + "}";
    int end = v1.lastIndexOf(']');
    Schema v2 = new Schema.Parser().parse(v1.substring(0, end) + "," + field + v1.substring(end));
    List<Schema> h = new ArrayList<>();
    h.add(RecordType.USER.schema());
    h.add(v2);
    return h;
  }
}
