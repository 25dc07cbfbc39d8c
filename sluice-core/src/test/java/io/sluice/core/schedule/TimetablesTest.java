package io.sluice.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimetablesTest {
  static final ZoneId UTC = ZoneOffset.UTC;

  static Instant t(String s) {
    return Instant.parse(s);
  }

  @Test
  void dailyRunForAnIntervalStartsAfterItsEndAndIsNamedByItsStart() {
    Timetable daily = Timetables.parse("@daily", UTC);
    NextRun first =
        daily
            .next(null, t("2024-01-01T00:00:00Z"), null, true, t("2024-01-05T00:00:00Z"))
            .orElseThrow();
    assertThat(first.interval())
        .isEqualTo(new DataInterval(t("2024-01-01T00:00:00Z"), t("2024-01-02T00:00:00Z")));
    assertThat(first.runAfter()).isEqualTo(t("2024-01-02T00:00:00Z"));
    assertThat(first.logicalDate()).isEqualTo(t("2024-01-01T00:00:00Z"));
    NextRun second =
        daily
            .next(
                first.interval(), t("2024-01-01T00:00:00Z"), null, true, t("2024-01-05T00:00:00Z"))
            .orElseThrow();
    assertThat(second.interval().start()).isEqualTo(t("2024-01-02T00:00:00Z"));
  }

  @Test
  void startDateBetweenFireTimesAlignsToTheNextFireTime() {
    NextRun first =
        Timetables.parse("0 * * * *", UTC)
            .next(null, t("2024-01-01T10:15:00Z"), null, true, Instant.MAX)
            .orElseThrow();
    assertThat(first.interval())
        .isEqualTo(new DataInterval(t("2024-01-01T11:00:00Z"), t("2024-01-01T12:00:00Z")));
  }

  @Test
  void withoutCatchupSkipsToTheLatestCompleteInterval() {
    Timetable daily = Timetables.parse("@daily", UTC);
    NextRun n =
        daily
            .next(null, t("2024-01-01T00:00:00Z"), null, false, t("2024-01-10T05:00:00Z"))
            .orElseThrow();
    assertThat(n.interval())
        .isEqualTo(new DataInterval(t("2024-01-09T00:00:00Z"), t("2024-01-10T00:00:00Z")));
    NextRun onBoundary =
        daily
            .next(null, t("2024-01-01T00:00:00Z"), null, false, t("2024-01-10T00:00:00Z"))
            .orElseThrow();
    assertThat(onBoundary.interval().start()).isEqualTo(t("2024-01-09T00:00:00Z"));
  }

  @Test
  void endDateStopsScheduling() {
    Timetable daily = Timetables.parse("@daily", UTC);
    DataInterval last = new DataInterval(t("2024-01-02T00:00:00Z"), t("2024-01-03T00:00:00Z"));
    assertThat(
            daily.next(
                last, t("2024-01-01T00:00:00Z"), t("2024-01-02T12:00:00Z"), true, Instant.MAX))
        .isEmpty();
  }

  @Test
  void cronWithSecondsAndTimeZone() {
    Timetable everyTenSeconds = Timetables.parse("*/10 * * * * *", UTC);
    NextRun n =
        everyTenSeconds
            .next(null, t("2024-01-01T00:00:05Z"), null, true, Instant.MAX)
            .orElseThrow();
    assertThat(n.interval())
        .isEqualTo(new DataInterval(t("2024-01-01T00:00:10Z"), t("2024-01-01T00:00:20Z")));

    Timetable oneAmBerlin = Timetables.parse("0 1 * * *", ZoneId.of("Europe/Berlin"));
    NextRun b =
        oneAmBerlin.next(null, t("2024-01-01T00:00:00Z"), null, true, Instant.MAX).orElseThrow();
    // 01:00 in Berlin (UTC+1 in winter) is midnight UTC
    assertThat(b.interval())
        .isEqualTo(new DataInterval(t("2024-01-01T00:00:00Z"), t("2024-01-02T00:00:00Z")));
  }

  @Test
  void presetsMapToAirflowsCronExpressions() {
    Instant start = t("2024-01-01T00:00:00Z");
    assertThat(
            Timetables.parse("@hourly", UTC)
                .next(null, start, null, true, Instant.MAX)
                .get()
                .runAfter())
        .isEqualTo(t("2024-01-01T01:00:00Z"));
    assertThat(
            Timetables.parse("@weekly", UTC)
                .next(null, start, null, true, Instant.MAX)
                .get()
                .interval()
                .start())
        .isEqualTo(t("2024-01-07T00:00:00Z"));
    assertThat(
            Timetables.parse("@monthly", UTC)
                .next(null, start, null, true, Instant.MAX)
                .get()
                .runAfter())
        .isEqualTo(t("2024-02-01T00:00:00Z"));
    assertThat(
            Timetables.parse("@quarterly", UTC)
                .next(null, start, null, true, Instant.MAX)
                .get()
                .runAfter())
        .isEqualTo(t("2024-04-01T00:00:00Z"));
    assertThat(
            Timetables.parse("@yearly", UTC)
                .next(null, start, null, true, Instant.MAX)
                .get()
                .runAfter())
        .isEqualTo(t("2025-01-01T00:00:00Z"));
    NextRun once =
        Timetables.parse("@once", UTC).next(null, start, null, true, Instant.MAX).orElseThrow();
    assertThat(once.interval()).isEqualTo(new DataInterval(start, start));
    assertThat(Timetables.parse("@once", UTC).next(once.interval(), start, null, true, Instant.MAX))
        .isEmpty();
    assertThat(Timetables.parse(null, UTC).manualOnly()).isTrue();
  }

  @Test
  void fixedIntervalCountsFromTheStartDate() {
    Timetable every90m = Timetables.parse("PT90M", UTC);
    NextRun n =
        every90m.next(null, t("2024-01-01T00:10:00Z"), null, true, Instant.MAX).orElseThrow();
    assertThat(n.interval())
        .isEqualTo(new DataInterval(t("2024-01-01T00:10:00Z"), t("2024-01-01T01:40:00Z")));
  }

  @Test
  void backfillCoversLogicalDatesWithBothEndsInclusive() {
    var intervals =
        Timetables.parse("@daily", UTC)
            .intervalsBetween(t("2024-01-01T00:00:00Z"), t("2024-01-03T00:00:00Z"));
    assertThat(intervals)
        .extracting(DataInterval::start)
        .containsExactly(
            t("2024-01-01T00:00:00Z"), t("2024-01-02T00:00:00Z"), t("2024-01-03T00:00:00Z"));
  }

  @Test
  void manualRunCoversTheLastCompleteInterval() {
    DataInterval iv = Timetables.parse("@daily", UTC).manualInterval(t("2024-01-25T01:00:00Z"));
    assertThat(iv)
        .isEqualTo(new DataInterval(t("2024-01-24T00:00:00Z"), t("2024-01-25T00:00:00Z")));
  }

  @Test
  void invalidSchedulesAreRejectedWithTheExpression() {
    assertThatThrownBy(() -> Timetables.parse("@fortnightly", UTC))
        .hasMessageContaining("@fortnightly");
    assertThatThrownBy(() -> Timetables.parse("61 * * * *", UTC))
        .hasMessageContaining("61 * * * *");
    assertThatThrownBy(() -> Timetables.parse("* * *", UTC)).hasMessageContaining("5 fields");
  }
}
