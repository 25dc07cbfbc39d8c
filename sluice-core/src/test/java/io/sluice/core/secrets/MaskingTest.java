package io.sluice.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {
  static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"alice\" password=\"jaas-secret-1\";";

  @Test
  void masksTheJaasPasswordWhateverTheKey() {
    String masked = Masking.value("sasl.jaas.config", JAAS);
    assertThat(masked).doesNotContain("jaas-secret-1");
    assertThat(Masking.value("options", JAAS))
        .isEqualTo(
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"alice\" password=\"***\";");
  }

  @Test
  void masksPairsUrlsAndJson() {
    assertThat(Masking.inText("jdbc:postgresql://db/x?user=u&password=p4ss&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/x?user=u&password=***&ssl=true");
    assertThat(Masking.inText("see https://bob:hunter2@example.com/path"))
        .isEqualTo("see https://bob:***@example.com/path");
    assertThat(Masking.inText("{\"client_secret\": \"abc\", \"n\": 1}")).doesNotContain("abc");
    assertThat(Masking.inText("token='t0k'")).isEqualTo("token='***'");
  }

  @Test
  void leavesOrdinaryTextAlone() {
    String text = "host=kafka:9092 retries=3 https://example.com/a@b user@example.com";
    assertThat(Masking.inText(text)).isEqualTo(text);
    assertThat(Masking.value("city", "Lisbon")).isEqualTo("Lisbon");
    assertThat(Masking.value("api_key", "k")).isEqualTo(Masking.MASK);
  }
}
