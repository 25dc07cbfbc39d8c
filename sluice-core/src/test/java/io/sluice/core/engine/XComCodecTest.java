package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XComCodecTest {
  public record User(String name, int age, Instant seen) {}

  @Test
  void recordsRoundTripWithTheirType() {
    User u = new User("ada", 36, Instant.parse("2024-01-01T00:00:00Z"));
    String stored = XComCodec.encode(u);
    assertThat(stored).contains("\"v\":1").contains(User.class.getName());
    assertThat(XComCodec.decode(stored, Object.class)).isEqualTo(u);
    assertThat(XComCodec.decode(stored, User.class)).isEqualTo(u);
  }

  @Test
  void plainValuesRoundTrip() {
    assertThat(XComCodec.decode(XComCodec.encode(42), Object.class)).isEqualTo(42);
    assertThat(XComCodec.decode(XComCodec.encode("x"), String.class)).isEqualTo("x");
    assertThat(XComCodec.decode(XComCodec.encode(List.of("a", "b")), Object.class))
        .isEqualTo(List.of("a", "b"));
    assertThat(XComCodec.decode(XComCodec.encode(Map.of("k", 1)), Object.class))
        .isEqualTo(Map.of("k", 1));
    assertThat(XComCodec.decode(XComCodec.encode(null), Object.class)).isNull();
  }

  @Test
  void storedFormatVersionOneStaysReadable() {
    String v1 = "{\"v\":1,\"type\":\"java.lang.Long\",\"value\":7}";
    assertThat(XComCodec.decode(v1, Object.class)).isEqualTo(7L);
  }

  @Test
  void unknownFormatVersionIsRejected() {
    assertThatThrownBy(() -> XComCodec.decode("{\"v\":9,\"type\":\"x\",\"value\":1}", Object.class))
        .hasMessageContaining("version 9");
  }

  @Test
  void nonValueTypesNamedInTheDatabaseAreNotInstantiated() {
    String forged =
        "{\"v\":1,\"type\":\"java.lang.ProcessBuilder\",\"value\":{\"command\":[\"x\"]}}";
    assertThat(XComCodec.decode(forged, Object.class)).isInstanceOf(Map.class);
  }
}
