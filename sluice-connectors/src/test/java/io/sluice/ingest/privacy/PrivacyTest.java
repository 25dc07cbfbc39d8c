package io.sluice.ingest.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivacyTest {
  @Test
  void postCodeIsAKeyedHmacSha256() {
    var privacy = new Privacy("key-of-at-least-16".getBytes(StandardCharsets.UTF_8), false);
    // HMAC-SHA256("key-of-at-least-16", "63104"), computed independently with openssl
    assertThat(privacy.hashPostCode("63104"))
        .isEqualTo("05391a18b54fd6a709cc0d1af37c1c9871d7f544e88934e25f846f139055f01c");
    assertThat(privacy.hashPostCode("63104")).isEqualTo(privacy.hashPostCode("63104"));
    assertThat(
            new Privacy("another-key-16-chars".getBytes(StandardCharsets.UTF_8), false)
                .hashPostCode("63104"))
        .isNotEqualTo(privacy.hashPostCode("63104"));
    assertThat(privacy.hashPostCode(null)).isNull();
  }

  @Test
  void generatesAKeyOnceUnderTheDataDirectoryWhenNoneIsConfigured(@TempDir Path dir)
      throws Exception {
    SluiceConfig config = SluiceConfig.defaults().with(Settings.DATA_DIR, dir.toString());

    String first = Privacy.from(config).hashPostCode("12345");
    Path keyFile = dir.resolve("secrets").resolve("hmac.key");
    assertThat(keyFile).exists();
    String stored = Files.readString(keyFile);
    String second = Privacy.from(config).hashPostCode("12345");

    assertThat(second).isEqualTo(first);
    assertThat(Files.readString(keyFile)).isEqualTo(stored);
  }

  @Test
  void masksEmailAndPhoneOnlyWhenAsked() {
    var masked = new Privacy(new byte[32], true);
    var plain = new Privacy(new byte[32], false);

    assertThat(masked.email("jennie.nichols@example.com")).isEqualTo("j***@example.com");
    assertThat(masked.phone("(272) 790-0888")).isEqualTo("(***) ***-**88");
    assertThat(plain.email("jennie.nichols@example.com")).isEqualTo("jennie.nichols@example.com");
    assertThat(plain.phone("(272) 790-0888")).isEqualTo("(272) 790-0888");
  }
}
