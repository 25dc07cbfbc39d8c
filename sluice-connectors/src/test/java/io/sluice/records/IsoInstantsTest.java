package io.sluice.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
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

  @Test
  void readsWhatInstantParseReads() {
    var random = new SplittableRandom(23);
    for (int i = 0; i < 200_000; i++) {
      long millis = random.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
      if (i % 4 == 0) millis -= Math.floorMod(millis, 1000L);
      Instant instant =
          Instant.ofEpochMilli(millis).plusNanos(i % 3 == 0 ? random.nextInt(1_000_000) : 0);
      String text = instant.toString();
      assertThat(IsoInstants.parseMillis(text)).as(text).isEqualTo(instant.toEpochMilli());
    }
  }

  @Test
  void readsOrRefusesTheEdgesAsInstantParseDoes() {
    for (String s :
        new String[] {
          "2024-02-29T12:00:00.1Z",
          "2024-02-29T12:00:00.123456789Z",
          "2023-12-31T23:59:60Z",
          "2024-01-01T24:00:00Z",
          "2024-01-01T00:00:00.Z",
          "2024-05-01T12:00:00+02:00",
          "-0001-12-31T23:59:59Z",
          "+10000-01-01T00:00:00Z",
          "2023-02-29T00:00:00Z",
          "2024-13-01T00:00:00Z",
          "2024-01-01T00:00:00.1234567890Z",
          "2024-01-01 00:00:00Z",
          "2024-01-01T00:0a:00Z",
          "yesterday"
        }) {
      Long expected;
      try {
        expected = Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e) {
        expected = null;
      }
      if (expected != null) assertThat(IsoInstants.parseMillis(s)).as(s).isEqualTo(expected);
      else
        assertThatThrownBy(() -> IsoInstants.parseMillis(s))
            .as(s)
            .isInstanceOf(DateTimeParseException.class);
    }
  }
}
