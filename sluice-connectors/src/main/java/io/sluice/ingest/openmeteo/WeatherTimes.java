package io.sluice.ingest.openmeteo;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;

/**
 * Open-Meteo's local times and dates. The shapes it gives ({@code yyyy-MM-ddTHH:mm}, {@code
 * yyyy-MM-dd}) are read digit by digit; any other text goes through {@code java.time}'s parsers,
 * which give the answer or the rejection they always gave.
 */
final class WeatherTimes {
  private WeatherTimes() {}

  /**
   * A local time in {@code zone} as an instant; in the hour repeated when clocks go back, the one
   * after {@code previous}.
   *
   * @throws DateTimeException not an ISO-8601 local date-time
   */
  static Instant instant(String text, ZoneId zone, Instant previous) {
    LocalDateTime local = minutes(text);
    if (local == null) local = LocalDateTime.parse(text.strip());
    ZoneRules rules = zone.getRules();
    if (rules.isFixedOffset()) return local.toInstant(rules.getOffset(local));
    ZonedDateTime z = local.atZone(zone);
    // why: in the hour repeated when clocks go back, the second occurrence is the later offset
    if (previous != null && !z.toInstant().isAfter(previous)) z = z.withLaterOffsetAtOverlap();
    return z.toInstant();
  }

  /**
   * A date.
   *
   * @throws DateTimeException not an ISO-8601 date
   */
  static LocalDate date(String text) {
    if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
      int y = digits(text, 0, 4);
      int m = digits(text, 5, 2);
      int d = digits(text, 8, 2);
      if (y >= 0 && m >= 0 && d >= 0) {
        try {
          return LocalDate.of(y, m, d);
        } catch (DateTimeException e) {
          // the parser below rejects it with its own words
        }
      }
    }
    return LocalDate.parse(text.strip());
  }

  /** A date in {@code zone} from Unix seconds. */
  static LocalDate date(long unixSeconds, ZoneId zone) {
    return Instant.ofEpochSecond(unixSeconds).atZone(zone).toLocalDate();
  }

  /** {@code name}, or the fixed offset when it is not a zone {@code java.time} knows. */
  static ZoneId zone(String name, int offsetSeconds) {
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      return ZoneOffset.ofTotalSeconds(offsetSeconds);
    }
  }

  /** {@code yyyy-MM-ddTHH:mm} read by hand, or null for any other text or an invalid value. */
  private static LocalDateTime minutes(String text) {
    if (text.length() != 16
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':') return null;
    int y = digits(text, 0, 4);
    int mo = digits(text, 5, 2);
    int d = digits(text, 8, 2);
    int h = digits(text, 11, 2);
    int mi = digits(text, 14, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return null;
    try {
      return LocalDateTime.of(y, mo, d, h, mi);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number of {@code text[from, from + n)}, or -1 when a character is not a digit. */
  private static int digits(String text, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
