package io.sluice.spark.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.SparkSettings;
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
    assertThat(SparkJobProcess.withLocalSlots(c, "local[2]", List.of(), List.of("users")))
        .containsExactly("--master", "local[6]");
    assertThat(SparkJobProcess.withLocalSlots(c, "local[8]", List.of(), List.of("users")))
        .containsExactly("--master", "local[8]");
    assertThat(SparkJobProcess.withLocalSlots(c, "local[*]", List.of(), List.of("users")).get(1))
        .matches("local\\[\\d+]")
        .isNotEqualTo("local[2]");
  }

  @Test
  void aSharedJvmGetsASlotPerPartitionForTheOtherJobToo() {
    SluiceConfig c =
        config(Map.of("SLUICE_SPARK_MODE", "realtime", "SLUICE_TOPIC_PARTITIONS", "3"));
    assertThat(
            SparkJobProcess.withLocalSlots(c, "local[2]", List.of(), List.of("users", "weather")))
        .containsExactly("--master", "local[9]");
  }

  @Test
  void theJobsOfAJvmAreNamedOnItsCommandLine() {
    assertThat(SparkJobProcess.jobsOf(List.of("-Xmx768m", "-Dsluice.job=users,weather")))
        .containsExactly("users", "weather");
    assertThat(SparkJobProcess.jobsOf(List.of("-Dsluice.job=users"))).containsExactly("users");
    assertThat(SparkJobProcess.jobsOf(List.of("-Xmx768m"))).isEmpty();
  }

  @Test
  void streamTasksShareAJvmOnlyWithALocalMasterAndNoOptions() {
    assertThat(SparkSettings.sharedJvm(config(Map.of()), List.of())).isTrue();
    assertThat(SparkSettings.sharedJvm(config(Map.of()), List.of("--master", "local[2]")))
        .isFalse();
    assertThat(
            SparkSettings.sharedJvm(
                config(Map.of("SLUICE_SPARK_MASTER", "spark://localhost:7077")), List.of()))
        .isFalse();
    assertThat(
            SparkSettings.sharedJvm(config(Map.of("SLUICE_SPARK_SHARED_JVM", "false")), List.of()))
        .isFalse();
  }
}
