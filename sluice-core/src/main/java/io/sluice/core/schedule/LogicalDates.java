package io.sluice.core.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Logical dates as users type them: {@code 2024-01-01} or an ISO-8601 date-time. */
public final class LogicalDates {
  private LogicalDates() {}

  /**
   * A date (midnight in {@code zone}), a date-time with an offset, or a local date-time in {@code
   * zone}.
   *
   * @throws IllegalArgumentException when the text is none of these
   */
  public static Instant parse(String text, ZoneId zone) {
    return tryParse(text, zone)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "invalid date '" + text + "': expected 2024-01-01 or 2024-01-01T00:00:00Z"));
  }

  /** As {@link #parse}, empty when the text is not a date. */
  public static Optional<Instant> tryParse(String text, ZoneId zone) {
    try {
      if (text.length() == 10)
        return Optional.of(LocalDate.parse(text).atStartOfDay(zone).toInstant());
      try {
        return Optional.of(OffsetDateTime.parse(text).toInstant());
      } catch (DateTimeParseException e) {
        return Optional.of(LocalDateTime.parse(text).atZone(zone).toInstant());
      }
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
