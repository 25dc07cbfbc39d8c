package io.sluice.schemaregistry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemaregistry.CompatibilityLevel;
import io.sluice.schemaregistry.server.SchemaRegistry.SchemaInput;
import io.sluice.schemaregistry.server.SchemaRegistry.SubjectVersion;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class SchemaRegistryTest {
  private static final SchemaInput V1 =
      avro(
          "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
  private static final SchemaInput V2 =
      avro(
          "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
  private static final SchemaInput REQUIRED_AGE =
      avro(
          "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
              + "{\"name\":\"age\",\"type\":\"int\"}]}");

  private final MemorySchemaLog log = new MemorySchemaLog();
  private final SchemaRegistry registry = new SchemaRegistry(log.reader());

  private static SchemaInput avro(String schema) {
    return new SchemaInput(schema, null, 0);
  }

  private static void assertCode(int code, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(code));
  }

  @Test
  void registersVersionsAndGivesTheSameSchemaTheSameId() {
    int first = registry.register("users-value", V1);
    assertThat(registry.register("users-value", V1)).isEqualTo(first);
    int second = registry.register("users-value", V2);
    assertThat(second).isEqualTo(first + 1);
    assertThat(registry.register("other-value", V1)).isEqualTo(first);
    assertThat(registry.versions("users-value", false)).containsExactly(1, 2);
    assertThat(registry.version("users-value", "latest", false).id()).isEqualTo(second);
    assertThat(registry.usesOf(first))
        .containsExactly(
            new SubjectVersion("other-value", 1), new SubjectVersion("users-value", 1));
    assertThat(registry.subjects(false)).containsExactly("other-value", "users-value");
  }

  @Test
  void refusesAnIncompatibleSchemaWith409NamingTheField() {
    registry.register("users-value", V1);
    assertThatThrownBy(() -> registry.register("users-value", REQUIRED_AGE))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo(409);
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.getMessage()).contains("age", "READER_FIELD_MISSING_DEFAULT_VALUE");
            });
    assertThat(registry.compatibility("users-value", "latest", REQUIRED_AGE)).isNotEmpty();
    assertThat(registry.compatibility("users-value", "1", V2)).isEmpty();
    registry.setLevel("users-value", "NONE");
    assertThat(registry.register("users-value", REQUIRED_AGE)).isPositive();
  }

  @Test
  void answersConfluentErrorCodes() {
    assertCode(40401, () -> registry.versions("nobody", false));
    registry.register("users-value", V1);
    assertCode(40402, () -> registry.version("users-value", "7", false));
    assertCode(42202, () -> registry.version("users-value", "zero", false));
    assertCode(40403, () -> registry.schemaById(99));
    assertCode(40403, () -> registry.lookup("users-value", V2, false));
    assertCode(
        42201, () -> registry.register("users-value", avro("{\"type\":\"record\",\"name\":")));
    assertCode(42201, () -> registry.register("users-value", new SchemaInput("{}", "PROTOBUF", 0)));
    assertCode(42203, () -> registry.setLevel(null, "SIDEWAYS"));
    assertCode(40408, () -> registry.level("users-value", false));
    assertCode(42204, () -> registry.setMode("SOMETIMES"));
  }

  @Test
  void softThenHardDeletesASubject() {
    int id = registry.register("users-value", V1);
    assertCode(40405, () -> registry.deleteSubject("users-value", true));
    assertThat(registry.deleteSubject("users-value", false)).containsExactly(1);
    assertThat(registry.subjects(false)).isEmpty();
    assertThat(registry.subjects(true)).containsExactly("users-value");
    assertCode(40404, () -> registry.deleteSubject("users-value", false));
    assertThat(registry.schemaById(id)).contains("User");
    assertThat(registry.deleteSubject("users-value", true)).containsExactly(1);
    assertThat(registry.subjects(true)).isEmpty();
    assertCode(40401, () -> registry.deleteSubject("users-value", true));
    assertThat(registry.register("users-value", V2)).as("ids are never reused").isEqualTo(id + 1);
  }

  @Test
  void softThenHardDeletesAVersion() {
    registry.register("users-value", V1);
    registry.register("users-value", V2);
    assertCode(40407, () -> registry.deleteVersion("users-value", "2", true));
    assertThat(registry.deleteVersion("users-value", "2", false)).isEqualTo(2);
    assertThat(registry.versions("users-value", false)).containsExactly(1);
    assertCode(40406, () -> registry.deleteVersion("users-value", "2", false));
    assertThat(registry.deleteVersion("users-value", "2", true)).isEqualTo(2);
    assertThat(registry.versions("users-value", true)).containsExactly(1);
  }

  @Test
  void keepsGlobalAndSubjectLevels() {
    assertThat(registry.level(null, false)).isEqualTo(CompatibilityLevel.BACKWARD);
    registry.setLevel(null, "full");
    registry.setLevel("users-value", "FORWARD_TRANSITIVE");
    assertThat(registry.level("users-value", false))
        .isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(registry.level("other-value", true)).isEqualTo(CompatibilityLevel.FULL);
    assertThat(registry.deleteLevel("users-value"))
        .isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
    assertThat(registry.deleteLevel(null)).isEqualTo(CompatibilityLevel.FULL);
    assertThat(registry.level("users-value", true)).isEqualTo(CompatibilityLevel.BACKWARD);
  }

  @Test
  void readOnlyModeRefusesWrites() {
    registry.setMode("READONLY");
    assertCode(42205, () -> registry.register("users-value", V1));
    registry.setMode("READWRITE");
    assertThat(registry.register("users-value", V1)).isEqualTo(1);
  }

  @Test
  void twoInstancesOnOneLogNeverHandOutTheSameIdTwice() {
    SchemaRegistry other = new SchemaRegistry(log.reader());
    int a = registry.register("a-value", V1);
    int b = other.register("b-value", V2);
    int c = registry.register("c-value", REQUIRED_AGE);
    assertThat(new int[] {a, b, c}).containsExactly(1, 2, 3);
    assertThat(other.register("a-value", V1)).isEqualTo(a);
    assertThat(other.schemaById(c)).contains("age");
  }

  @Test
  void aRestartedInstanceReadsTheSameIdsAndVersions() {
    registry.register("users-value", V1);
    registry.register("users-value", V2);
    registry.setLevel("users-value", "FULL");
    SchemaRegistry restarted = new SchemaRegistry(log.reader());
    assertThat(restarted.versions("users-value", false)).containsExactly(1, 2);
    assertThat(restarted.lookup("users-value", V2, false).id()).isEqualTo(2);
    assertThat(restarted.level("users-value", false)).isEqualTo(CompatibilityLevel.FULL);
  }
}
