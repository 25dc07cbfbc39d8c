package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  @Test
  void rendersContextValuesParamsVariablesAndConnections() {
    Templates.Lookup var = k -> k.equals("city") ? "Berlin" : null;
    Templates.Lookup conn =
        k -> new Connection(k, "kafka", "127.0.0.1", 9092, null, null, null, Map.of());
    Map<String, Object> ctx =
        Map.of(
            "ds",
            "2024-01-01",
            "params",
            Map.of("n", 3),
            "var",
            Map.of("value", var),
            "conn",
            conn);
    assertThat(
            Templates.render(
                "echo {{ ds }} {{params.n}} {{ var.value.city }} {{ conn.kafka_default.host }}:{{ conn.kafka_default.port }}",
                ctx))
        .isEqualTo("echo 2024-01-01 3 Berlin 127.0.0.1:9092");
  }

  @Test
  void unknownNamesFailNamingThem() {
    assertThatThrownBy(() -> Templates.render("{{ params.missing }}", Map.of("params", Map.of())))
        .hasMessageContaining("params.missing");
  }

  @Test
  void callsMethodsWithPositionalAndKeywordArgumentsAsAirflowsJinjaContextDoes() {
    Templates.Method pull =
        (args, kwargs) ->
            "pulled "
                + (args.isEmpty() ? kwargs.get("task_ids") : args.get(0))
                + "/"
                + kwargs.getOrDefault("key", "return_value");
    Map<String, Object> ctx =
        Map.of(
            "ti",
            Map.of("xcom_pull", pull, "task_id", "load"),
            "rows",
            Map.of("counts", java.util.List.of(3, 4)));
    assertThat(Templates.render("{{ ti.xcom_pull('extract') }}", ctx))
        .isEqualTo("pulled extract/return_value");
    assertThat(Templates.render("{{ ti.xcom_pull(task_ids=\"t\", key='rows') }}", ctx))
        .isEqualTo("pulled t/rows");
    assertThat(Templates.render("{{ rows['counts'][1] }} {{ rows.counts }}", ctx))
        .isEqualTo("4 [3,4]");
    assertThatThrownBy(() -> Templates.render("{{ ti.task_id() }}", ctx))
        .hasMessageContaining("'ti.task_id' is not callable");
    assertThatThrownBy(() -> Templates.render("{{ ti.xcom_pull(extract) }}", ctx))
        .hasMessageContaining("'extract' is not a literal");
  }
}
