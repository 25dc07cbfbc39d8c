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
}
