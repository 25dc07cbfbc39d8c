package io.sluice.ingest.randomuser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserIdsTest {
  @Test
  void idIsLoginUuidWhenPresentElseAStableUuidV5() {
    byte[] source = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(UserIds.deterministicId(" abc ", source)).isEqualTo("abc");
    String v5 = UserIds.deterministicId(null, source);
    assertThat(v5).isEqualTo(UserIds.deterministicId("", source));
    assertThat(UUID.fromString(v5).version()).isEqualTo(5);
    assertThat(UserIds.deterministicId(null, "{}".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(v5);
    // RFC 4122 appendix vector: DNS namespace, "www.example.com"
    assertThat(
            UserIds.uuidV5(
                    UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com")
                .toString())
        .isEqualTo("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  }
}
