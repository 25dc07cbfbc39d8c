package io.sluice.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dag;
import io.sluice.api.InvalidParamException;
import io.sluice.api.Param;
import io.sluice.core.tasks.TaskTypeRegistry;
import io.sluice.core.yaml.YamlDagLoader;
import java.io.StringReader;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ParamValidatorTest {
  static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");

  static final Dag DAG =
      new YamlDagLoader(new TaskTypeRegistry())
          .load(
              "dags/p.yaml",
              new StringReader(
                  """
                  dag_id: p
                  params:
                    city: Lisbon
                    day: {type: date, default: "2024-01-01", minimum: "1940-01-01"}
                    at: {type: string, format: date-time, required: true}
                    limit: {type: integer, default: 10, minimum: 1, maximum: 100}
                    ratio: {type: number, default: 0.5, maximum: 1}
                    dry_run: {type: boolean, default: false}
                    mode: {type: enum, enum: [fast, full], default: fast}
                    code: {type: string, pattern: "[A-Z]{3}", max_length: 3}
                  tasks:
                    - id: a
                      type: noop
                  """));

  static String rejected(String conf) {
    try {
      ParamValidator.validate(DAG, conf, null, NOW);
    } catch (InvalidParamException e) {
      return e.param();
    }
    throw new AssertionError("accepted " + conf);
  }

  @Test
  void typedParamsFromYamlKeepTheirDefaults() {
    assertThat(DAG.paramSpecs().get("day").type()).isEqualTo(Param.Type.DATE);
    assertThat(DAG.paramSpecs().get("at").type()).isEqualTo(Param.Type.DATETIME);
    assertThat(DAG.paramSpecs().get("city").type()).isEqualTo(Param.Type.ANY);
    assertThat(DAG.params()).containsEntry("limit", 10).containsEntry("city", "Lisbon");
    assertThat(DAG.paramSpecs().get("day").schema())
        .containsEntry("type", "string")
        .containsEntry("format", "date");
  }

  @Test
  void aValidConfGivesTheParamsTheRunSees() {
    var params =
        ParamValidator.validate(
            DAG,
            "{\"at\": \"2024-05-01T10:00:00Z\", \"limit\": 100, \"mode\": \"full\", \"code\": \"LIS\"}",
            Instant.parse("2024-05-01T00:00:00Z"),
            NOW);
    assertThat(params).containsEntry("limit", 100).containsEntry("day", "2024-01-01");
  }

  @Test
  void eachBadValueIsRefusedNamingItsParam() {
    String at = "\"at\": \"2024-05-01T10:00:00Z\"";
    assertThat(rejected("{}")).isEqualTo("at");
    assertThat(rejected("{" + at + ", \"day\": \"2024-13-45\"}")).isEqualTo("day");
    assertThat(rejected("{" + at + ", \"day\": \"1900-01-01\"}")).isEqualTo("day");
    assertThat(rejected("{" + at + ", \"day\": \"+99999-01-01\"}")).isEqualTo("day");
    assertThat(rejected("{\"at\": \"yesterday\"}")).isEqualTo("at");
    assertThat(rejected("{" + at + ", \"limit\": 0}")).isEqualTo("limit");
    assertThat(rejected("{" + at + ", \"limit\": 1.5}")).isEqualTo("limit");
    assertThat(rejected("{" + at + ", \"limit\": \"5\"}")).isEqualTo("limit");
    assertThat(rejected("{" + at + ", \"ratio\": 2}")).isEqualTo("ratio");
    assertThat(rejected("{" + at + ", \"dry_run\": \"yes\"}")).isEqualTo("dry_run");
    assertThat(rejected("{" + at + ", \"mode\": \"slow\"}")).isEqualTo("mode");
    assertThat(rejected("{" + at + ", \"code\": \"lis\"}")).isEqualTo("code");
    assertThat(rejected("[1, 2]")).isEqualTo("conf");
  }

  @Test
  void logicalDatesOutsideFourDigitYearsAreRefused() {
    String conf = "{\"at\": \"2024-05-01T10:00:00Z\"}";
    assertThatThrownBy(
            () -> ParamValidator.validate(DAG, conf, Instant.parse("+99999-01-01T00:00:00Z"), NOW))
        .isInstanceOfSatisfying(
            InvalidParamException.class, e -> assertThat(e.param()).isEqualTo("logical_date"));
  }

  @Test
  void aDefaultThatBreaksItsOwnRuleFailsTheDagFile() {
    assertThatThrownBy(
            () ->
                new YamlDagLoader(new TaskTypeRegistry())
                    .load(
                        "dags/q.yaml",
                        new StringReader(
                            "dag_id: q\nparams:\n  n: {type: integer, default: 0, minimum: 1}\n"
                                + "tasks:\n  - id: a\n    type: noop\n")))
        .hasMessageContaining("dags/q.yaml:")
        .hasMessageContaining("param 'n'");
  }
}
