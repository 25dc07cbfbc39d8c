package io.sluice.records;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} of a millisecond instant, written by hand for the years 0000 to 9999:
 * {@code yyyy-MM-ddTHH:mm:ssZ}, with {@code .SSS} before the {@code Z} when the milliseconds are
 * not zero. Other years go through {@code java.time}. The JSON records' timestamps are written this
 * way, several per record, where {@code java.time}'s formatter was the largest cost of encoding;
 * {@link #parseMillis} reads them back, where {@link Instant#parse} was the largest cost of
 * decoding.
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

  /**
   * {@code Instant.parse(text).toEpochMilli()}. The form this class writes, {@code
   * yyyy-MM-ddTHH:mm:ss} with an optional fraction of 1 to 9 digits and {@code Z}, is read by hand;
   * any other text goes through {@link Instant#parse}, which reads it or throws as it always did.
   */
  public static long parseMillis(CharSequence text) {
    int n = text.length();
    if (n < 20 || n > 30 || text.charAt(n - 1) != 'Z' || n == 21) return slow(text);
    int year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
    int hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
    if (text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || (year | month | day | hour | minute | second) < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour > 23
        || minute > 59
        || second > 59) return slow(text);
    int millis = 0;
    if (n > 20) {
      // why: Instant.toEpochMilli floors, so digits past the third only have to be digits
      if (text.charAt(19) != '.' || digits(text, 20, n - 21) < 0) return slow(text);
      for (int i = 20; i < 23; i++) millis = millis * 10 + (i < n - 1 ? text.charAt(i) - '0' : 0);
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  private static long slow(CharSequence text) {
    return Instant.parse(text).toEpochMilli();
  }

  /** The decimal number of {@code count} digits at {@code at}, or -1 if one is not a digit. */
  private static int digits(CharSequence text, int at, int count) {
    int value = 0;
    for (int i = at; i < at + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return -1;
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static void put(byte[] b, int at, int value, int digits) {
    for (int i = at + digits - 1; i >= at; i--) {
      b[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
