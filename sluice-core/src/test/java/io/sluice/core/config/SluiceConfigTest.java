package io.sluice.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SluiceConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsApplyWhenNothingIsSet() {
    var config = SluiceConfig.defaults();
    assertThat(config.get(Settings.KAFKA_PORT)).isEqualTo(9092);
    assertThat(config.get(Settings.USERS_TOPIC)).isEqualTo("users_created");
    assertThat(config.find(Settings.KAFKA_BOOTSTRAP)).isEmpty();
  }

  @Test
  void environmentOverridesYamlWhichOverridesDefaults() throws Exception {
    Path yaml = dir.resolve("sluice.yaml");
    Files.writeString(
        yaml, "kafka:\n  port: 19092\ntopics:\n  hourly: hourly_yaml\n  daily: daily_yaml\n");
    var config = SluiceConfig.load(yaml, Map.of("HOURLY_DATA_TOPIC", "hourly_env"));

    assertThat(config.get(Settings.KAFKA_PORT)).isEqualTo(19092);
    assertThat(config.get(Settings.HOURLY_DATA_TOPIC)).isEqualTo("hourly_env");
    assertThat(config.get(Settings.DAILY_DATA_TOPIC)).isEqualTo("daily_yaml");
    assertThat(config.describe())
        .filteredOn(v -> v.key() == Settings.HOURLY_DATA_TOPIC)
        .singleElement()
        .satisfies(v -> assertThat(v.origin()).isEqualTo("env HOURLY_DATA_TOPIC"));
  }

  @Test
  void seedNamesAreHonoured() {
    var config =
        SluiceConfig.load(
            null,
            Map.of(
                "BASE_URL", "http://127.0.0.1:8081/v1/forecast",
                "CASSANDRA_KEYSPACE", "weather",
                "HOURLY_SINK_TABLE", "h",
                "DAILY_SINK_TABLE", "d"));
    assertThat(config.get(Settings.OPENMETEO_URL)).isEqualTo("http://127.0.0.1:8081/v1/forecast");
    assertThat(config.get(Settings.CASSANDRA_KEYSPACE)).isEqualTo("weather");
    assertThat(config.get(Settings.HOURLY_SINK_TABLE)).isEqualTo("h");
    assertThat(config.get(Settings.DAILY_SINK_TABLE)).isEqualTo("d");
  }

  @Test
  void invalidValueNamesKeyValueAndWhatIsAccepted() {
    assertThatThrownBy(() -> SluiceConfig.load(null, Map.of("SLUICE_KAFKA_PORT", "99999")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka.port")
        .hasMessageContaining("99999")
        .hasMessageContaining("env SLUICE_KAFKA_PORT")
        .hasMessageContaining("between 1 and 65535");
  }

  @Test
  void unknownYamlKeyIsAnError() throws Exception {
    Path yaml = dir.resolve("sluice.yaml");
    Files.writeString(yaml, "kafak:\n  port: 1\n");
    assertThatThrownBy(() -> SluiceConfig.load(yaml, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'kafak.port'");
  }

  @Test
  void aJobJvmSkipsKeysThatOnlyModulesItLacksDeclare() throws Exception {
    Path yaml = dir.resolve("sluice.yaml");
    // web.port belongs to sluice-web, which a Spark job JVM (and this module's tests) lack
    Files.writeString(yaml, "web:\n  port: 8081\nkafka:\n  port: 19092\n");
    assertThatThrownBy(() -> SluiceConfig.load(yaml, Map.of()))
        .hasMessageContaining("unknown key 'web.port'");
    SluiceConfig known = SluiceConfig.load(yaml, Map.of(), false);
    assertThat(known.get(Settings.KAFKA_PORT)).isEqualTo(19092);
  }

  @Test
  void secretsAreMaskedWhenDisplayed() {
    var config = SluiceConfig.load(null, Map.of("SLUICE_DB_PASSWORD", "hunter2"));
    assertThat(config.describe())
        .filteredOn(v -> v.key() == Settings.DB_PASSWORD)
        .singleElement()
        .satisfies(v -> assertThat(v.display()).isEqualTo("****"));
    assertThat(config.get(Settings.DB_PASSWORD)).isEqualTo("hunter2");
  }

  @Test
  void durationsAcceptIsoAndShortForms() {
    assertThat(ConfigKey.parseDuration("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ConfigKey.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigKey.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
  }
}
