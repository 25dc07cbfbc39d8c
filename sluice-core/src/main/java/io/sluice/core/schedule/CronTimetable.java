package io.sluice.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A cron schedule (5 fields, or 6 with seconds first) in a time zone: each data interval runs from
 * one fire time to the next (Airflow's CronDataIntervalTimetable).
 */
public final class CronTimetable implements Timetable {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser WITH_SECONDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final boolean withSeconds;
  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime times;

  public CronTimetable(String expression, ZoneId zone) {
    this.expression = expression;
    this.zone = zone;
    String[] fields = expression.trim().split("\\s+");
    Cron cron;
    if (fields.length == 5) cron = UNIX.parse(expression.trim());
    else if (fields.length == 6) cron = WITH_SECONDS.parse(expression.trim());
    else
      throw new IllegalArgumentException(
          "cron expression '" + expression + "' must have 5 fields (or 6 with seconds first)");
    this.times = ExecutionTime.forCron(cron.validate());
    this.withSeconds = fields.length == 6;
  }

  Instant nextAfter(Instant t) {
    return times
        .nextExecution(ZonedDateTime.ofInstant(t, zone))
        .orElseThrow(
            () -> new IllegalStateException("cron '" + expression + "' never fires after " + t))
        .toInstant();
  }

  Instant previousBefore(Instant t) {
    return times
        .lastExecution(ZonedDateTime.ofInstant(t, zone))
        .orElseThrow(
            () -> new IllegalStateException("cron '" + expression + "' never fires before " + t))
        .toInstant();
  }

  boolean fires(Instant t) {
    ZonedDateTime z = ZonedDateTime.ofInstant(t, zone);
    // why: cron-utils matches 10:00:30 against a minute cron; a fire time has no finer part
    boolean aligned = z.getNano() == 0 && (withSeconds || z.getSecond() == 0);
    return aligned && times.isMatch(z);
  }

  /** The first fire time at or after {@code t}. */
  Instant alignNext(Instant t) {
    return fires(t) ? t : nextAfter(t);
  }

  /** The last fire time at or before {@code t}. */
  Instant alignPrevious(Instant t) {
    return fires(t) ? t : previousBefore(t);
  }

  @Override
  public Optional<NextRun> next(
      DataInterval last, Instant startDate, Instant endDate, boolean catchup, Instant now) {
    Instant start;
    if (last == null) {
      if (startDate == null) return Optional.empty();
      start = alignNext(startDate);
    } else {
      start = alignNext(last.end());
    }
    if (!catchup && now != Instant.MAX) {
      // why: Airflow's _skip_to_latest: the start of the latest complete interval, never before
      // the start computed above.
      Instant latest = previousBefore(alignPrevious(now));
      if (latest.isAfter(start)) start = latest;
    }
    if (endDate != null && start.isAfter(endDate)) return Optional.empty();
    Instant end = nextAfter(start);
    return Optional.of(new NextRun(new DataInterval(start, end), end));
  }

  @Override
  public DataInterval manualInterval(Instant runAfter) {
    Instant end = alignPrevious(runAfter);
    Instant start = previousBefore(end);
    return new DataInterval(start, end);
  }

  @Override
  public String summary() {
    return expression
        + (zone.getId().equals("Z") || zone.getId().equals("UTC") ? "" : " " + zone.getId());
  }
}
