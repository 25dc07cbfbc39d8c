package io.sluice.core.schedule;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/** Parses a DAG's schedule expression. */
public final class Timetables {
  private static final Map<String, String> PRESETS =
      Map.of(
          "@hourly", "0 * * * *",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@weekly", "0 0 * * 0",
          "@monthly", "0 0 1 * *",
          "@quarterly", "0 0 1 */3 *",
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *");

  private Timetables() {}

  /**
   * A cron expression (5 fields, or 6 with seconds), a preset ({@code @once}, {@code @continuous},
   * {@code @hourly}, {@code @daily}, {@code @weekly}, {@code @monthly}, {@code @quarterly}, {@code
   * @yearly}), an ISO-8601 duration ({@code PT30M}, {@code P1D}), or null / blank / "None" for
   * manual only.
   *
   * @throws IllegalArgumentException naming the expression and what is accepted
   */
  public static Timetable parse(String expression, ZoneId zone) {
    if (expression == null || expression.isBlank() || expression.equalsIgnoreCase("none"))
      return new ManualTimetable();
    String e = expression.trim();
    String lower = e.toLowerCase(Locale.ROOT);
    if (lower.equals("@once")) return new OnceTimetable();
    if (lower.equals("@continuous")) return new ContinuousTimetable();
    if (PRESETS.containsKey(lower)) return new CronTimetable(PRESETS.get(lower), zone);
    if (lower.startsWith("@"))
      throw new IllegalArgumentException(
          "unknown schedule preset '"
              + e
              + "'; expected @once, @continuous, @hourly, @daily, @weekly, @monthly, @quarterly or @yearly");
    if (lower.startsWith("p")) {
      try {
        return new DeltaTimetable(Duration.parse(e.toUpperCase(Locale.ROOT)));
      } catch (RuntimeException ex) {
        throw new IllegalArgumentException("invalid ISO-8601 duration schedule '" + e + "'", ex);
      }
    }
    try {
      return new CronTimetable(e, zone);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("invalid schedule '" + e + "': " + ex.getMessage(), ex);
    }
  }
}
