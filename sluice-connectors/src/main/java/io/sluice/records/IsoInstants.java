package io.sluice.records;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} of a millisecond instant, written by hand for the years 0000 to 9999:
 * {@code yyyy-MM-ddTHH:mm:ssZ}, with {@code .SSS} before the {@code Z} when the milliseconds are
 * not zero. Other years go through {@code java.time}. The JSON records' timestamps are written this
 * way, several per record, where {@code java.time}'s formatter was the largest cost of encoding.
 */
public final class IsoInstants {
  private static final long FIRST = -62_167_219_200_000L; // 0000-01-01T00:00:00Z
  private static final long END = 253_402_300_800_000L; // 10000-01-01T00:00:00Z

  private IsoInstants() {}

  /** {@code Instant.ofEpochMilli(epochMillis).toString()}. */
  public static String format(long epochMillis) {
    if (epochMillis < FIRST || epochMillis >= END)
      return Instant.ofEpochMilli(epochMillis).toString();
    long seconds = Math.floorDiv(epochMillis, 1000L);
    int millis = (int) Math.floorMod(epochMillis, 1000L);
    long day = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    LocalDate date = LocalDate.ofEpochDay(day);
    byte[] b = new byte[millis == 0 ? 20 : 24];
    put(b, 0, date.getYear(), 4);
    b[4] = '-';
    put(b, 5, date.getMonthValue(), 2);
    b[7] = '-';
    put(b, 8, date.getDayOfMonth(), 2);
    b[10] = 'T';
    put(b, 11, secondOfDay / 3600, 2);
    b[13] = ':';
    put(b, 14, secondOfDay / 60 % 60, 2);
    b[16] = ':';
    put(b, 17, secondOfDay % 60, 2);
    if (millis != 0) {
      b[19] = '.';
      put(b, 20, millis, 3);
    }
    b[b.length - 1] = 'Z';
    // why: ASCII only, so the Latin-1 constructor copies the bytes as they are
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** {@code instant.toString()} for an instant of whole milliseconds. */
  public static String format(Instant instant) {
    return instant.getNano() % 1_000_000 == 0 ? format(instant.toEpochMilli()) : instant.toString();
  }

  private static void put(byte[] b, int at, int value, int digits) {
    for (int i = at + digits - 1; i >= at; i--) {
      b[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
