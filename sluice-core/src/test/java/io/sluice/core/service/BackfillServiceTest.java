package io.sluice.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskFailedException;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.testing.DagTestKit;
import io.sluice.core.testing.TestScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DagTestKit.class)
class BackfillServiceTest {
  private static final Instant D1 = Instant.parse("2023-03-01T00:00:00Z");
  private static final Instant D5 = Instant.parse("2023-03-05T00:00:00Z");

  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final Set<Instant> failing = ConcurrentHashMap.newKeySet();

  /** A daily DAG whose one task takes a minute, and fails on the dates in {@link #failing}. */
  private Dag daily() {
    Dag.Builder b =
        Dag.builder("daily").schedule("@daily").startDate(LocalDate.of(2023, 1, 1)).catchup(false);
    b.task(
        "work",
        ctx -> {
          // why: the DAG's own scheduled run goes on beside the backfill and is not counted
          boolean counted = !ctx.logicalDate().isAfter(D5);
          if (counted) peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          try {
            ctx.sleep(Duration.ofMinutes(1));
          } finally {
            if (counted) concurrent.decrementAndGet();
          }
          if (failing.contains(ctx.logicalDate())) throw new TaskFailedException("bad day");
          return null;
        });
    return b.build();
  }

  private static BackfillService backfills(TestScheduler<?> kit) {
    return kit.scheduler().backfills();
  }

  private static BackfillRequest request(int maxActiveRuns, String reprocess, boolean backwards) {
    return new BackfillRequest("daily", D1, D5, null, reprocess, maxActiveRuns, backwards);
  }

  private static List<DagRun> backfillRuns(TestScheduler<?> kit) {
    return kit.runs("daily").stream()
        .filter(r -> r.runType() == RunType.BACKFILL)
        .sorted(Comparator.comparing(DagRun::logicalDate))
        .toList();
  }

  private static Instant day(int n) {
    return D1.plus(Duration.ofDays(n - 1));
  }

  @Test
  void createReturnsAtOnceAndTheSchedulerRunsAtMostMaxActiveRuns(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily());
    BackfillView b = backfills(kit).create(request(2, null, false));
    assertThat(b.state()).isEqualTo("running");
    assertThat(b.progress().total()).isEqualTo(5);
    assertThat(b.progress().pending()).isEqualTo(5);
    assertThat(backfillRuns(kit)).isEmpty();

    kit.runUntilIdle();
    assertThat(backfillRuns(kit)).extracting(DagRun::logicalDate).containsExactly(day(1), day(2));
    assertThat(backfills(kit).get(b.id()).progress().running()).isEqualTo(2);

    kit.advance(Duration.ofMinutes(10));
    assertThat(backfillRuns(kit))
        .extracting(DagRun::logicalDate)
        .containsExactly(day(1), day(2), day(3), day(4), day(5));
    assertThat(backfillRuns(kit))
        .allSatisfy(r -> assertThat(r.state()).isEqualTo(DagRunState.SUCCESS));
    BackfillView done = backfills(kit).get(b.id());
    assertThat(done.state()).isEqualTo("completed");
    assertThat(done.completedAt()).isNotNull();
    assertThat(done.progress().success()).isEqualTo(5);
    assertThat(peak.get()).isEqualTo(2);
  }

  @Test
  void pauseStopsNewRunsAndUnpauseResumes(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily());
    long id = backfills(kit).create(request(1, null, false)).id();
    kit.runUntilIdle();
    assertThat(backfillRuns(kit)).hasSize(1);

    assertThat(backfills(kit).pause(id).state()).isEqualTo("paused");
    kit.advance(Duration.ofMinutes(10));
    assertThat(backfillRuns(kit)).hasSize(1);
    assertThat(backfillRuns(kit).get(0).state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(backfills(kit).get(id).progress().pending()).isEqualTo(4);

    assertThat(backfills(kit).unpause(id).state()).isEqualTo("running");
    kit.advance(Duration.ofMinutes(10));
    assertThat(backfillRuns(kit)).hasSize(5);
    assertThat(backfills(kit).get(id).state()).isEqualTo("completed");
  }

  @Test
  void cancelStopsForGood(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily());
    long id = backfills(kit).create(request(1, null, false)).id();
    kit.runUntilIdle();
    BackfillView cancelled = backfills(kit).cancel(id);
    assertThat(cancelled.state()).isEqualTo("cancelled");
    assertThat(cancelled.paused()).isTrue();
    assertThat(cancelled.completedAt()).isNotNull();

    kit.advance(Duration.ofMinutes(10));
    assertThat(backfillRuns(kit)).hasSize(1);
    assertThat(backfills(kit).get(id).progress().pending()).isEqualTo(4);
    assertThatThrownBy(() -> backfills(kit).unpause(id))
        .extracting(e -> ((ServiceException) e).reason())
        .isEqualTo(ServiceException.Reason.CONFLICT);
  }

  @Test
  void runBackwardsTakesTheNewestDateFirst(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily());
    backfills(kit).create(request(1, null, true));
    kit.advance(Duration.ofMinutes(10));
    assertThat(
            backfillRuns(kit).stream()
                .sorted(Comparator.comparing(DagRun::startDate))
                .map(DagRun::logicalDate))
        .containsExactly(day(5), day(4), day(3), day(2), day(1));
  }

  /** Day 1 succeeded and day 2 failed before the backfill; days 3 to 5 have no run. */
  private void existingRuns(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily());
    DagRunService runs = kit.scheduler().runs();
    failing.add(day(2));
    runs.trigger("daily", null, day(1));
    runs.trigger("daily", null, day(2));
    kit.advance(Duration.ofMinutes(5));
    failing.clear();
  }

  private static List<BackfillDateView> datesAfter(TestScheduler<?> kit, BackfillRequest r) {
    long id = backfills(kit).create(r).id();
    kit.advance(Duration.ofMinutes(10));
    assertThat(backfills(kit).get(id).state()).isEqualTo("completed");
    return backfills(kit).dates(id);
  }

  @Test
  void reprocessNoneLeavesEveryExistingRunAlone(TestScheduler<?> kit) {
    existingRuns(kit);
    assertThat(backfills(kit).dryRun(request(5, "none", false)))
        .containsExactly(day(3), day(4), day(5));
    List<BackfillDateView> dates = datesAfter(kit, request(5, "none", false));
    assertThat(dates)
        .extracting(BackfillDateView::exceptionReason)
        .containsExactly("already exists", "already exists", null, null, null);
    assertThat(dates)
        .extracting(BackfillDateView::state)
        .containsExactly("skipped", "skipped", "success", "success", "success");
  }

  @Test
  void reprocessFailedRunsTheFailedDateAgain(TestScheduler<?> kit) {
    existingRuns(kit);
    List<BackfillDateView> dates = datesAfter(kit, request(5, "failed", false));
    assertThat(dates)
        .extracting(BackfillDateView::exceptionReason)
        .containsExactly("already exists", null, null, null, null);
    assertThat(dates.get(1).runId()).startsWith("manual__");
    assertThat(dates.subList(1, 5)).extracting(BackfillDateView::state).containsOnly("success");
  }

  @Test
  void reprocessCompletedRunsEveryFinishedDateAgain(TestScheduler<?> kit) {
    existingRuns(kit);
    assertThat(backfills(kit).dryRun(request(5, "completed", false))).hasSize(5);
    List<BackfillDateView> dates = datesAfter(kit, request(5, "completed", false));
    assertThat(dates).extracting(BackfillDateView::exceptionReason).containsOnlyNulls();
    assertThat(dates).extracting(BackfillDateView::state).containsOnly("success");
  }

  @Test
  void refusesABadRequestNamingTheField(TestScheduler<?> kit) {
    kit.scheduler().dagBag().add(daily());
    BackfillService s = backfills(kit);
    assertThatThrownBy(
            () -> s.create(new BackfillRequest("daily", D5, D1, null, null, null, false)))
        .extracting(e -> ((ServiceException) e).param())
        .isEqualTo("to_date");
    assertThatThrownBy(() -> s.create(request(1, "sometimes", false)))
        .extracting(e -> ((ServiceException) e).param())
        .isEqualTo("reprocess_behavior");
    assertThatThrownBy(() -> s.create(request(0, null, false)))
        .extracting(e -> ((ServiceException) e).param())
        .isEqualTo("max_active_runs");
    Instant future = kit.now().plus(Duration.ofDays(2));
    assertThatThrownBy(
            () -> s.create(new BackfillRequest("daily", D1, future, null, null, null, false)))
        .extracting(e -> ((ServiceException) e).param())
        .isEqualTo("to_date");
    assertThatThrownBy(() -> s.create(BackfillRequest.of("nope", D1, D5)))
        .extracting(e -> ((ServiceException) e).reason())
        .isEqualTo(ServiceException.Reason.NOT_FOUND);
    s.create(request(1, null, false));
    assertThatThrownBy(() -> s.create(request(1, null, false)))
        .extracting(e -> ((ServiceException) e).reason())
        .isEqualTo(ServiceException.Reason.CONFLICT);
    assertThat(s.list("daily")).hasSize(1);
  }
}
