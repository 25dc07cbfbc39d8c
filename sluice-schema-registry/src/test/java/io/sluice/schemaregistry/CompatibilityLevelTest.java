package io.sluice.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemaregistry.CompatibilityLevel.Versioned;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityLevelTest {
  private static Schema user(String extraFields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}"
                + extraFields
                + "]}");
  }

  private static final Schema V1 = user("");
  private static final Schema OPTIONAL_EMAIL =
      user(",{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}");
  private static final Schema REQUIRED_EMAIL = user(",{\"name\":\"email\",\"type\":\"string\"}");
  private static final Schema REQUIRED_AGE = user(",{\"name\":\"age\",\"type\":\"int\"}");

  private static List<Versioned> history(Schema... schemas) {
    return java.util.stream.IntStream.range(0, schemas.length)
        .mapToObj(i -> new Versioned(i + 1, schemas[i]))
        .toList();
  }

  @Test
  void noneAcceptsAnything() {
    assertThat(
            CompatibilityLevel.NONE.violations(
                user(",{\"name\":\"x\",\"type\":\"int\"}"), history(V1)))
        .isEmpty();
    assertThat(
            CompatibilityLevel.NONE.violations(new Schema.Parser().parse("\"int\""), history(V1)))
        .isEmpty();
  }

  @Test
  void backwardRefusesANewRequiredFieldAndNamesIt() {
    assertThat(CompatibilityLevel.BACKWARD.violations(OPTIONAL_EMAIL, history(V1))).isEmpty();
    assertThat(CompatibilityLevel.BACKWARD.violations(REQUIRED_EMAIL, history(V1)))
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "email", "version 1");
  }

  @Test
  void backwardAcceptsARemovedField() {
    assertThat(CompatibilityLevel.BACKWARD.violations(V1, history(REQUIRED_EMAIL))).isEmpty();
  }

  @Test
  void backwardChecksTheLatestOnlyButTransitiveChecksEveryVersion() {
    // v1 has no age; v2 adds a required age with no default reading v1 would need
    List<Versioned> past = history(V1, user(",{\"name\":\"age\",\"type\":\"int\",\"default\":0}"));
    assertThat(CompatibilityLevel.BACKWARD.violations(REQUIRED_AGE, past)).isEmpty();
    assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.violations(REQUIRED_AGE, past))
        .singleElement()
        .asString()
        .contains("age", "version 1");
  }

  @Test
  void forwardRefusesRemovingARequiredFieldTheOldSchemaNeeds() {
    assertThat(CompatibilityLevel.FORWARD.violations(REQUIRED_EMAIL, history(V1))).isEmpty();
    assertThat(CompatibilityLevel.FORWARD.violations(V1, history(REQUIRED_EMAIL)))
        .singleElement()
        .asString()
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "email", "version 1 cannot read");
  }

  @Test
  void forwardTransitiveChecksEveryVersion() {
    List<Versioned> past = history(REQUIRED_EMAIL, OPTIONAL_EMAIL);
    assertThat(CompatibilityLevel.FORWARD.violations(V1, past)).isEmpty();
    assertThat(CompatibilityLevel.FORWARD_TRANSITIVE.violations(V1, past))
        .singleElement()
        .asString()
        .contains("email", "version 1");
  }

  @Test
  void fullNeedsBothDirections() {
    assertThat(CompatibilityLevel.FULL.violations(OPTIONAL_EMAIL, history(V1))).isEmpty();
    assertThat(CompatibilityLevel.FULL.violations(REQUIRED_EMAIL, history(V1)))
        .anySatisfy(m -> assertThat(m).contains("new schema cannot read"));
    assertThat(CompatibilityLevel.FULL.violations(V1, history(REQUIRED_EMAIL)))
        .anySatisfy(m -> assertThat(m).contains("cannot read data written with the new schema"));
  }

  @Test
  void fullTransitiveChecksEveryVersionBothWays() {
    List<Versioned> past = history(REQUIRED_EMAIL, OPTIONAL_EMAIL);
    assertThat(CompatibilityLevel.FULL.violations(V1, past)).isEmpty();
    assertThat(CompatibilityLevel.FULL_TRANSITIVE.violations(V1, past))
        .singleElement()
        .asString()
        .contains("version 1 cannot read");
  }

  @Test
  void aChangedTypeIsRefusedByEveryCheckingLevel() {
    Schema intId =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}");
    for (CompatibilityLevel level : CompatibilityLevel.values()) {
      if (level == CompatibilityLevel.NONE) continue;
      assertThat(level.violations(intId, history(V1))).as(level.name()).isNotEmpty();
    }
  }

  @Test
  void theFirstVersionIsAlwaysAccepted() {
    for (CompatibilityLevel level : CompatibilityLevel.values())
      assertThat(level.violations(REQUIRED_AGE, List.of())).isEmpty();
  }

  @Test
  void parsesLevelsInAnyCaseAndRefusesOthers() {
    assertThat(CompatibilityLevel.parse("full_transitive"))
        .isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(CompatibilityLevel.DEFAULT).isEqualTo(CompatibilityLevel.BACKWARD);
    assertThatThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS"))
        .hasMessageContaining("SIDEWAYS")
        .hasMessageContaining("FULL_TRANSITIVE");
  }
}
