package io.sluice.spark.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.SluiceConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealtimeLaunchTest {
  private static SluiceConfig config(Map<String, String> env) {
    return SluiceConfig.load(null, env);
  }

  @Test
  void onlyTheUsersJobRunningUntilStoppedRunsInRealTimeMode() {
    SluiceConfig realtime = config(Map.of("SLUICE_SPARK_MODE", "realtime"));
    assertThat(SparkJobProcess.realtime(realtime, "users", List.of())).isTrue();
    assertThat(SparkJobProcess.realtime(realtime, "weather", List.of())).isFalse();
    assertThat(SparkJobProcess.realtime(realtime, "users", List.of("--available-now"))).isFalse();
    assertThat(
            SparkJobProcess.realtime(
                realtime, "users", List.of("--from", "2024-01-01", "--to", "2024-01-02")))
        .isFalse();
    assertThat(SparkJobProcess.realtime(config(Map.of()), "users", List.of())).isFalse();
  }

  @Test
  void aLocalMasterGetsASlotPerPartitionAndAsManyForTheLake() {
    SluiceConfig c =
        config(Map.of("SLUICE_SPARK_MODE", "realtime", "SLUICE_TOPIC_PARTITIONS", "3"));
    assertThat(SparkJobProcess.withLocalSlots(c, "local[2]", List.of()))
        .containsExactly("--master", "local[6]");
    assertThat(SparkJobProcess.withLocalSlots(c, "local[8]", List.of()))
        .containsExactly("--master", "local[8]");
    assertThat(SparkJobProcess.withLocalSlots(c, "local[*]", List.of()).get(1))
        .matches("local\\[\\d+]")
        .isNotEqualTo("local[2]");
  }
}
