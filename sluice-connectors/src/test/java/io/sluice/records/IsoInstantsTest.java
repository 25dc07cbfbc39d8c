package io.sluice.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
  @Test
  void writesWhatInstantToStringWrites() {
    var random = new SplittableRandom(17);
    for (int i = 0; i < 200_000; i++) {
      long millis = random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
      if (i % 4 == 0) millis -= Math.floorMod(millis, 1000L);
      if (i % 8 == 0) millis -= Math.floorMod(millis, 60_000L);
      assertThat(IsoInstants.format(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
    }
  }

  @Test
  void writesTheEdgesOfTheYearsItFormatsByHand() {
    for (String s :
        new String[] {
          "0000-01-01T00:00:00Z",
          "9999-12-31T23:59:59.999Z",
          "1970-01-01T00:00:00Z",
          "1969-12-31T23:59:59.999Z",
          "2024-02-29T12:00:00.001Z",
          "-0001-12-31T23:59:59Z",
          "+10000-01-01T00:00:00Z"
        }) {
      Instant instant = Instant.parse(s);
      assertThat(IsoInstants.format(instant.toEpochMilli())).isEqualTo(s);
      assertThat(IsoInstants.format(instant)).isEqualTo(s);
    }
    Instant nanos = Instant.parse("2024-01-01T00:00:00.000000001Z");
    assertThat(IsoInstants.format(nanos)).isEqualTo(nanos.toString());
  }
}
