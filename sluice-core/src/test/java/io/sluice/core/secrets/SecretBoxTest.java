package io.sluice.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  @TempDir Path dir;

  @Test
  void roundTripsAndNeverStoresThePlainText() {
    SecretBox box = new SecretBox("k".getBytes(StandardCharsets.UTF_8));
    String stored = box.encrypt("hunter2");
    assertThat(stored).startsWith("v1:").doesNotContain("hunter2");
    assertThat(box.encrypt("hunter2")).isNotEqualTo(stored);
    assertThat(box.decrypt(stored)).isEqualTo("hunter2");
  }

  @Test
  void aWrongKeyIsAClearError() {
    String stored = new SecretBox("a".getBytes(StandardCharsets.UTF_8)).encrypt("x");
    assertThatThrownBy(() -> new SecretBox("b".getBytes(StandardCharsets.UTF_8)).decrypt(stored))
        .hasMessageContaining("secret key");
  }

  @Test
  void generatesTheKeyOnceUnderTheDataDirectory() throws Exception {
    SluiceConfig config = SluiceConfig.defaults().with(Settings.DATA_DIR, dir.toString());
    String stored = SecretBox.of(config).encrypt("secret");
    Path key = dir.resolve("secrets/secret.key");
    assertThat(key).exists();
    String first = Files.readString(key);
    assertThat(SecretBox.of(config).decrypt(stored)).isEqualTo("secret");
    assertThat(Files.readString(key)).isEqualTo(first);
  }
}
