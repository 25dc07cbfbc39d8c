package io.sluice.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.engine.XComCodec;
import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.Pool;
import io.sluice.core.model.ReprocessBehavior;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.TaskInstanceKey;
import io.sluice.core.store.ClaimedScheduled;
import io.sluice.core.store.LockedRun;
import io.sluice.store.JdbcStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every metadata database must do; one subclass per database. */
public abstract class AbstractStoreContractTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  protected JdbcStore store;

  /** A store on an empty database (each test gets its own schema state after reset). */
  protected abstract JdbcStore openStore();

  @BeforeEach
  void setUp() {
    store = openStore();
    store.reset();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  static DagRun run(String dagId, Instant logical, DagRunState state) {
    return new DagRun(
        dagId,
        RunType.SCHEDULED.runId(logical),
        logical,
        logical,
        logical.plus(Duration.ofDays(1)),
        state,
        RunType.SCHEDULED,
        "{}",
        T0,
        null,
        null);
  }

  void dagWithRun(String dagId, Instant logical) {
    store.inTransaction(
        tx -> {
          tx.upsertDag(new DagRecord(dagId, false, "@daily", "", "test", true, T0));
          return tx.insertRun(run(dagId, logical, DagRunState.RUNNING));
        });
  }

  @Test
  void pruningDeletesOldFinishedRunsButKeepsTheLatestScheduledOne() {
    store.inTransaction(
        tx -> {
          tx.upsertDag(new DagRecord("p", false, "@daily", "", "test", true, T0));
          for (int day = 0; day < 4; day++) {
            Instant logical = T0.plus(Duration.ofDays(day));
            DagRun r = run("p", logical, DagRunState.QUEUED);
            tx.insertRun(r);
            tx.insertTaskInstances(
                List.of(TaskInstance.create("p", r.runId(), "t", 0, 1, "default_pool", 1)));
            tx.appendLog("p", r.runId(), "t", 1, List.of("line"));
            DagRunState end = day == 2 ? DagRunState.RUNNING : DagRunState.SUCCESS;
            tx.updateRunState(
                r.withState(end, logical, day == 2 ? null : logical.plusSeconds(60)),
                DagRunState.QUEUED);
          }
          return null;
        });
    Instant cutoff = T0.plus(Duration.ofDays(10));
    int pruned = store.inTransaction(tx -> tx.pruneFinishedRuns(cutoff, 100));
    assertThat(pruned).isEqualTo(2);
    List<DagRun> left = store.inTransaction(tx -> tx.runs("p", 10));
    // day 2 is still running; day 3 is the latest scheduled run, which the next interval follows
    assertThat(left.stream().map(DagRun::logicalDate))
        .containsExactly(T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(2)));
    String gone = RunType.SCHEDULED.runId(T0);
    List<TaskInstance> goneTasks = store.inTransaction(tx -> tx.taskInstances("p", gone));
    List<String> goneLog = store.inTransaction(tx -> tx.readLog("p", gone, "t", 1));
    int again = store.inTransaction(tx -> tx.pruneFinishedRuns(cutoff, 100));
    assertThat(goneTasks).isEmpty();
    assertThat(goneLog).isEmpty();
    assertThat(again).isZero();
  }

  @Test
  void backfillsRoundTripWithTheirDatesInOrder() {
    Instant d2 = T0.plus(Duration.ofDays(1));
    Backfill b =
        new Backfill(
            0, "d", T0, d2, "{\"a\":1}", ReprocessBehavior.FAILED, 3, true, false, T0, null, T0);
    long id = store.inTransaction(tx -> tx.insertBackfill(b, List.of(d2, T0)));
    long other = store.inTransaction(tx -> tx.insertBackfill(b, List.of(T0)));
    assertThat(other).isGreaterThan(id);
    Optional<Backfill> stored = store.inTransaction(tx -> tx.backfill(id));
    assertThat(stored).contains(b.withId(id));
    List<BackfillDagRun> dates = store.inTransaction(tx -> tx.backfillDagRuns(id));
    assertThat(dates)
        .containsExactly(
            new BackfillDagRun(id, 0, d2, null, null), new BackfillDagRun(id, 1, T0, null, null));

    store.inTransaction(
        tx -> {
          tx.updateBackfillDagRun(new BackfillDagRun(id, 0, d2, "r1", null));
          tx.updateBackfillDagRun(new BackfillDagRun(id, 1, T0, null, BackfillDagRun.IN_FLIGHT));
          return tx.updateBackfill(tx.lockBackfill(id).orElseThrow().withPaused(true, d2));
        });
    dates = store.inTransaction(tx -> tx.backfillDagRuns(id));
    assertThat(dates)
        .extracting(BackfillDagRun::runId, BackfillDagRun::exceptionReason)
        .containsExactly(tuple("r1", null), tuple(null, "in flight"));
    Backfill paused = store.inTransaction(tx -> tx.backfill(id)).orElseThrow();
    assertThat(paused.paused()).isTrue();
    assertThat(paused.updatedAt()).isEqualTo(d2);

    store.inTransaction(tx -> tx.updateBackfill(paused.completed(d2)));
    List<Backfill> active = store.inTransaction(tx -> tx.activeBackfills());
    assertThat(active).extracting(Backfill::id).containsExactly(other);
    List<Backfill> ofD = store.inTransaction(tx -> tx.backfills("d"));
    assertThat(ofD).extracting(Backfill::id).containsExactly(other, id);
    List<Backfill> none = store.inTransaction(tx -> tx.backfills("nope"));
    assertThat(none).isEmpty();
  }

  @Test
  void dagsKeepTheirPausedFlagAcrossUpserts() {
    store.inTransaction(
        tx -> {
          tx.upsertDag(new DagRecord("d", false, "@daily", "first", "a.yaml", true, T0));
          tx.setPaused("d", true);
          tx.upsertDag(
              new DagRecord("d", false, "@hourly", "second", "a.yaml", true, T0.plusSeconds(1)));
          return null;
        });
    DagRecord d = store.inTransaction(tx -> tx.dag("d")).orElseThrow();
    assertThat(d.paused()).isTrue();
    assertThat(d.schedule()).isEqualTo("@hourly");
    assertThat(d.lastParsedAt()).isEqualTo(T0.plusSeconds(1));
    store.inTransaction(
        tx -> {
          tx.markActive(List.of());
          return null;
        });
    assertThat(store.inTransaction(tx -> tx.dag("d")).orElseThrow().active()).isFalse();
    {
      var v1 = store.inTransaction(tx -> tx.setPaused("missing", true));
      assertThat(v1).isFalse();
    }
  }

  @Test
  void runsAreUniquePerLogicalDateAndRoundTripTheirFields() {
    dagWithRun("d", T0);
    DagRun same = run("d", T0, DagRunState.QUEUED);
    DagRun otherId =
        new DagRun(
            "d", "manual__x", T0, T0, T0, DagRunState.QUEUED, RunType.MANUAL, "{}", T0, null, null);
    {
      var v2 = store.inTransaction(tx -> tx.insertRun(same));
      assertThat(v2).isFalse();
    }
    {
      var v3 = store.inTransaction(tx -> tx.insertRun(otherId));
      assertThat(v3).isFalse();
    }
    DagRun stored = store.inTransaction(tx -> tx.run("d", same.runId())).orElseThrow();
    assertThat(stored).isEqualTo(run("d", T0, DagRunState.RUNNING));
    {
      var v4 = store.inTransaction(tx -> tx.lastScheduledRun("d"));
      assertThat(v4).contains(stored);
    }
    {
      var v5 = store.inTransaction(tx -> tx.previousRun("d", T0.plusSeconds(1)));
      assertThat(v5).contains(stored);
    }
    {
      var v6 = store.inTransaction(tx -> tx.countRuns("d", DagRunState.RUNNING));
      assertThat(v6).isEqualTo(1);
    }
    DagRun done = stored.withState(DagRunState.SUCCESS, T0, T0.plusSeconds(5));
    {
      var v7 = store.inTransaction(tx -> tx.updateRunState(done, DagRunState.QUEUED));
      assertThat(v7).isFalse();
    }
    {
      var v8 = store.inTransaction(tx -> tx.updateRunState(done, DagRunState.RUNNING));
      assertThat(v8).isTrue();
    }
    assertThat(store.inTransaction(tx -> tx.run("d", done.runId())).orElseThrow().endDate())
        .isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void taskInstanceUpdatesAreConditionalOnTheExpectedState() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    TaskInstance ti = TaskInstance.create("d", runId, "t", 2, 5, "default_pool", 1);
    store.inTransaction(
        tx -> {
          tx.insertTaskInstances(List.of(ti));
          return null;
        });
    TaskInstance scheduled =
        ti.toBuilder()
            .state(TaskState.SCHEDULED)
            .readyAt(T0)
            .firstAttemptStart(T0)
            .rescheduled(true)
            .note("n")
            .build();
    {
      var v9 = store.inTransaction(tx -> tx.updateTaskInstance(scheduled, TaskState.NONE));
      assertThat(v9).isTrue();
    }
    {
      var v10 = store.inTransaction(tx -> tx.updateTaskInstance(scheduled, TaskState.NONE));
      assertThat(v10).isFalse();
    }
    {
      var v11 = store.inTransaction(tx -> tx.taskInstance("d", runId, "t"));
      assertThat(v11).contains(scheduled);
    }
  }

  @Test
  void aTransitionWritesWhatChangedAndKeepsAHeartbeatWrittenSinceTheRead() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    TaskInstance queued =
        TaskInstance.create("d", runId, "t", 2, 5, "default_pool", 1).toBuilder()
            .state(TaskState.QUEUED)
            .tryNumber(1)
            .executorId("me")
            .heartbeatAt(T0)
            .readyAt(T0)
            .rescheduled(true)
            .note("waiting")
            .build();
    store.inTransaction(
        tx -> {
          tx.insertTaskInstances(List.of(queued));
          return null;
        });
    TaskInstance running =
        queued.toBuilder()
            .state(TaskState.RUNNING)
            .tryNumber(2)
            .startDate(T0.plusSeconds(1))
            .readyAt(null)
            .rescheduled(false)
            .note(null)
            .build();
    Boolean claimed = store.inTransaction(tx -> tx.transition(queued, running));
    assertThat(claimed).isTrue();
    Optional<TaskInstance> afterClaim = store.inTransaction(tx -> tx.taskInstance("d", runId, "t"));
    assertThat(afterClaim).contains(running);
    store.inTransaction(tx -> tx.heartbeat("me", T0.plusSeconds(30)));
    TaskInstance success =
        running.toBuilder().state(TaskState.SUCCESS).endDate(T0.plusSeconds(40)).build();
    Boolean stale = store.inTransaction(tx -> tx.transition(queued, success));
    assertThat(stale).isFalse();
    Boolean finished = store.inTransaction(tx -> tx.transition(running, success));
    assertThat(finished).isTrue();
    Optional<TaskInstance> afterFinish =
        store.inTransaction(tx -> tx.taskInstance("d", runId, "t"));
    // why: the outcome changes state and end date; the heartbeat written after the read stays
    assertThat(afterFinish).contains(success.toBuilder().heartbeatAt(T0.plusSeconds(30)).build());
  }

  @Test
  void aClaimWithoutAReadTakesOnlyTheRowAsItWasQueued() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    TaskInstance queued =
        TaskInstance.create("d", runId, "t", 2, 5, "default_pool", 1).toBuilder()
            .state(TaskState.QUEUED)
            .executorId("me")
            .queuedAt(T0)
            .build();
    store.inTransaction(
        tx -> {
          tx.insertTaskInstances(List.of(queued));
          return null;
        });
    TaskInstance running =
        queued.toBuilder().state(TaskState.RUNNING).tryNumber(1).startDate(T0).build();
    // why: queued again for another executor since, then for this one with other tries
    TaskInstance theirs = queued.toBuilder().executorId("other").build();
    TaskInstance moreTries = queued.toBuilder().maxTries(3).build();
    store.inTransaction(tx -> tx.transition(queued, theirs));
    assertThat(claimQueued(queued, running)).isFalse();
    store.inTransaction(tx -> tx.transition(theirs, moreTries));
    store.inTransaction(tx -> tx.updateTaskInstance(moreTries, TaskState.QUEUED));
    assertThat(claimQueued(queued, running)).isFalse();
    Optional<TaskInstance> notClaimed = store.inTransaction(tx -> tx.taskInstance("d", runId, "t"));
    assertThat(notClaimed).contains(moreTries);
    TaskInstance runningNow = running.toBuilder().maxTries(3).build();
    // why: the engine claims a row it queued in a statement of its own, without a transaction
    boolean claimedAlone = store.inStatement(tx -> tx.claimQueued(moreTries, runningNow));
    assertThat(claimedAlone).isTrue();
    Optional<TaskInstance> claimed = store.inTransaction(tx -> tx.taskInstance("d", runId, "t"));
    assertThat(claimed).contains(runningNow);
    assertThat(claimQueued(moreTries, runningNow)).isFalse();
  }

  private boolean claimQueued(TaskInstance queued, TaskInstance running) {
    return store.inTransaction(tx -> tx.claimQueued(queued, running));
  }

  @Test
  void concurrentClaimsNeverReturnTheSameTaskInstance() throws Exception {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    store.inTransaction(
        tx -> {
          for (int i = 0; i < 4; i++)
            tx.insertTaskInstances(
                List.of(
                    TaskInstance.create("d", runId, "t" + i, 0, i, "default_pool", 1).toBuilder()
                        .state(TaskState.SCHEDULED)
                        .build()));
          return null;
        });
    CountDownLatch firstClaimed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<List<String>> first =
        CompletableFuture.supplyAsync(
            () ->
                store.inTransaction(
                    tx -> {
                      List<String> ids =
                          tx.claimScheduled(1).stream().map(TaskInstance::taskId).toList();
                      firstClaimed.countDown();
                      try {
                        release.await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                      }
                      return ids;
                    }));
    assertThat(firstClaimed.await(10, TimeUnit.SECONDS)).isTrue();
    List<String> second =
        CompletableFuture.supplyAsync(
                () ->
                    store.inTransaction(
                        tx -> tx.claimScheduled(4).stream().map(TaskInstance::taskId).toList()))
            .get(10, TimeUnit.SECONDS);
    release.countDown();
    List<String> firstIds = first.get(10, TimeUnit.SECONDS);
    assertThat(firstIds).containsExactly("t3");
    assertThat(second).doesNotContainAnyElementsOf(firstIds);
  }

  @Test
  void heartbeatsKeepInstancesFreshAndStaleOnesAreFound() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    TaskInstance mine =
        TaskInstance.create("d", runId, "mine", 0, 1, "default_pool", 1).toBuilder()
            .state(TaskState.RUNNING)
            .executorId("me")
            .heartbeatAt(T0)
            .build();
    TaskInstance theirs =
        TaskInstance.create("d", runId, "theirs", 0, 1, "default_pool", 1).toBuilder()
            .state(TaskState.RUNNING)
            .executorId("dead")
            .heartbeatAt(T0)
            .build();
    store.inTransaction(
        tx -> {
          tx.insertTaskInstances(List.of(mine, theirs));
          return null;
        });
    {
      var v12 = store.inTransaction(tx -> tx.heartbeat("me", T0.plusSeconds(100)));
      assertThat(v12).isEqualTo(1);
    }
    {
      var v13 = store.inTransaction(tx -> tx.staleTaskInstances(T0.plusSeconds(50), "other"));
      assertThat(v13).extracting(TaskInstance::taskId).containsExactly("theirs");
    }
    {
      var v14 = store.inTransaction(tx -> tx.staleTaskInstances(T0.plusSeconds(50), "dead"));
      assertThat(v14).isEmpty();
    }
    {
      var v15 = store.inTransaction(tx -> tx.countActiveTasks("d"));
      assertThat(v15).isEqualTo(2);
    }
    {
      var v16 = store.inTransaction(tx -> tx.usedPoolSlots("default_pool"));
      assertThat(v16).isEqualTo(2);
    }
  }

  @Test
  void queuedInstancesAreClaimedInOneBatchAndEveryLimitIsReadAtOnce() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    List<TaskInstance> scheduled =
        List.of("a", "b", "c").stream()
            .map(
                id ->
                    TaskInstance.create("d", runId, id, 0, 1, "default_pool", 2).toBuilder()
                        .state(TaskState.SCHEDULED)
                        .build())
            .toList();
    store.inTransaction(
        tx -> {
          tx.insertTaskInstances(scheduled);
          tx.upsertPool(new Pool("small", 3, "small"));
          return null;
        });
    TaskInstance queuedA = scheduled.get(0).toBuilder().state(TaskState.QUEUED).build();
    TaskInstance queuedB = scheduled.get(1).toBuilder().state(TaskState.QUEUED).build();
    boolean[] first =
        store.inTransaction(tx -> tx.transitions(scheduled.subList(0, 1), List.of(queuedA)));
    assertThat(first).containsExactly(true);
    // why: a is queued by now, so a second claim of it finds no scheduled row
    boolean[] second =
        store.inTransaction(
            tx -> tx.transitions(scheduled.subList(0, 2), List.of(queuedA, queuedB)));
    assertThat(second).containsExactly(false, true);
    List<TaskInstance> after = store.inTransaction(tx -> tx.taskInstances("d", runId));
    assertThat(after)
        .extracting(TaskInstance::taskId, TaskInstance::state)
        .containsExactlyInAnyOrder(
            tuple("a", TaskState.QUEUED),
            tuple("b", TaskState.QUEUED),
            tuple("c", TaskState.SCHEDULED));
    var limits =
        store.inTransaction(
            tx -> tx.activeTasks(List.of("d", "idle"), List.of("default_pool", "small")));
    assertThat(limits.active("d")).isEqualTo(2);
    assertThat(limits.active("idle")).isZero();
    assertThat(limits.used("default_pool")).isEqualTo(4);
    assertThat(limits.used("small")).isZero();
    assertThat(limits.poolSlots()).containsEntry("default_pool", 128).containsEntry("small", 3);
    ClaimedScheduled both =
        store.inTransaction(tx -> tx.claimScheduledAndLimits(4, List.of("idle"), List.of("small")));
    assertThat(both.instances()).extracting(TaskInstance::taskId).containsExactly("c");
    assertThat(both.limits().active("d")).isEqualTo(2);
    assertThat(both.limits().used("default_pool")).isEqualTo(4);
    assertThat(both.limits().poolSlots()).containsEntry("small", 3);
  }

  @Test
  void anOutcomeIsWrittenBeforeTheClaimAndTheLimitsSeeIt() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    TaskInstance running =
        TaskInstance.create("d", runId, "a", 0, 1, "default_pool", 2).toBuilder()
            .state(TaskState.RUNNING)
            .tryNumber(1)
            .build();
    TaskInstance scheduled =
        TaskInstance.create("d", runId, "b", 0, 1, "default_pool", 1).toBuilder()
            .state(TaskState.SCHEDULED)
            .build();
    store.inTransaction(
        tx -> {
          tx.insertTaskInstances(List.of(running, scheduled));
          return null;
        });
    TaskInstance success =
        running.toBuilder().state(TaskState.SUCCESS).endDate(T0.plusSeconds(1)).build();
    ClaimedScheduled both =
        store.inTransaction(
            tx ->
                tx.transitionAndClaimScheduled(
                    running, success, 4, List.of("d"), List.of("default_pool")));
    assertThat(both.instances()).extracting(TaskInstance::taskId).containsExactly("b");
    assertThat(both.limits().active("d")).isZero();
    assertThat(both.limits().used("default_pool")).isZero();
    // why: a is no longer running, so a second outcome is not written and nothing is returned
    TaskInstance failed = running.toBuilder().state(TaskState.FAILED).build();
    ClaimedScheduled again =
        store.inTransaction(
            tx ->
                tx.transitionAndClaimScheduled(
                    running, failed, 4, List.of("d"), List.of("default_pool")));
    assertThat(again).isNull();
    List<TaskInstance> after = store.inTransaction(tx -> tx.taskInstances("d", runId));
    assertThat(after)
        .extracting(TaskInstance::taskId, TaskInstance::state, TaskInstance::endDate)
        .containsExactlyInAnyOrder(
            tuple("a", TaskState.SUCCESS, T0.plusSeconds(1)),
            tuple("b", TaskState.SCHEDULED, null));
  }

  @Test
  void aTrysLastLinesTheRunsLockAndItsInstancesComeInOneCall() {
    dagWithRun("d", T0);
    DagRun stored = run("d", T0, DagRunState.RUNNING);
    String runId = stored.runId();
    store.inTransaction(
        tx -> {
          tx.insertTaskInstances(
              List.of("a", "b", "c").stream()
                  .map(id -> TaskInstance.create("d", runId, id, 0, 1, "default_pool", 1))
                  .toList());
          return null;
        });
    TaskInstanceKey a = new TaskInstanceKey("d", runId, "a");
    Optional<LockedRun> some =
        store.inTransaction(
            tx ->
                tx.appendLogAndLockRun(
                    a, 1, List.of("first", "second", "third"), Set.of("a", "b", "gone")));
    assertThat(some).isPresent();
    assertThat(some.get().run()).isEqualTo(stored);
    assertThat(some.get().instances())
        .extracting(TaskInstance::taskId)
        .containsExactlyInAnyOrder("a", "b");
    Optional<LockedRun> all =
        store.inTransaction(tx -> tx.appendLogAndLockRun(a, 1, List.of("fourth"), null));
    assertThat(all.orElseThrow().instances())
        .extracting(TaskInstance::taskId)
        .containsExactly("a", "b", "c");
    Optional<LockedRun> noLines =
        store.inTransaction(tx -> tx.appendLogAndLockRun(a, 2, List.of(), Set.of("c")));
    assertThat(noLines.orElseThrow().instances())
        .extracting(TaskInstance::taskId)
        .containsExactly("c");
    List<String> try1 = store.inTransaction(tx -> tx.readLog("d", runId, "a", 1));
    assertThat(try1).containsExactly("first", "second", "third", "fourth");
    List<String> try2 = store.inTransaction(tx -> tx.readLog("d", runId, "a", 2));
    assertThat(try2).isEmpty();
    TaskInstanceKey missing = new TaskInstanceKey("d", "no_such_run", "a");
    Optional<LockedRun> none =
        store.inTransaction(tx -> tx.appendLogAndLockRun(missing, 1, List.of(), null));
    assertThat(none).isEmpty();
  }

  @Test
  void xcomsRoundTripThroughTheVersionedCodec() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    Map<String, Object> value = Map.of("rows", List.of(1, 2, 3), "source", "randomuser");
    store.inTransaction(
        tx -> {
          tx.putXCom("d", runId, "t", "return_value", XComCodec.encode("old"));
          tx.putXCom("d", runId, "t", "return_value", XComCodec.encode(value));
          return null;
        });
    String stored =
        store.inTransaction(tx -> tx.xcom("d", runId, "t", "return_value")).orElseThrow();
    assertThat(XComCodec.decode(stored, Object.class)).isEqualTo(value);
    store.inTransaction(
        tx -> {
          tx.clearXComs("d", runId, "t");
          return null;
        });
    {
      var v17 = store.inTransaction(tx -> tx.xcom("d", runId, "t", "return_value"));
      assertThat(v17).isEmpty();
    }
  }

  @Test
  void variablesPoolsAndLogsPerTry() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    store.inTransaction(
        tx -> {
          tx.setVariable("lat", "52.52", null);
          tx.setVariable("lat", "48.85", "Paris");
          tx.setVariable("lon", "2.35", null);
          tx.upsertPool(new Pool("api", 2, "rate-limited API"));
          tx.appendLog("d", runId, "t", 1, List.of("first try", "failed"));
          tx.appendLog("d", runId, "t", 2, List.of("second try"));
          tx.appendLog("d", runId, "t", 1, List.of("late line of try 1"));
          return null;
        });
    {
      var v18 = store.inTransaction(tx -> tx.variables());
      assertThat(v18).containsExactly(Map.entry("lat", "48.85"), Map.entry("lon", "2.35"));
    }
    {
      var v19 = store.inTransaction(tx -> tx.deleteVariable("lon"));
      assertThat(v19).isTrue();
    }
    {
      var v20 = store.inTransaction(tx -> tx.variable("lon"));
      assertThat(v20).isEmpty();
    }
    {
      var v21 = store.inTransaction(tx -> tx.pool("api"));
      assertThat(v21).contains(new Pool("api", 2, "rate-limited API"));
    }
    {
      var v22 = store.inTransaction(tx -> tx.pools());
      assertThat(v22).extracting(Pool::name).containsExactly("api", "default_pool");
    }
    {
      var v23 = store.inTransaction(tx -> tx.readLog("d", runId, "t", 1));
      assertThat(v23).containsExactly("first try", "failed", "late line of try 1");
    }
    {
      var v24 = store.inTransaction(tx -> tx.readLog("d", runId, "t", 2));
      assertThat(v24).containsExactly("second try");
    }
  }

  @Test
  void importErrorsAreReplacedPerSourceAndPruned() {
    store.inTransaction(
        tx -> {
          tx.replaceImportErrors("a.yaml", List.of(new ImportError("a.yaml", 3, "cycle", T0)));
          tx.replaceImportErrors(
              "b.yaml", List.of(new ImportError("b.yaml", 7, "unknown task type", T0)));
          tx.replaceImportErrors(
              "a.yaml", List.of(new ImportError("a.yaml", 4, "duplicate task id", T0)));
          return null;
        });
    {
      var v25 = store.inTransaction(tx -> tx.importErrors());
      assertThat(v25)
          .extracting(ImportError::describe)
          .containsExactly("a.yaml:4: duplicate task id", "b.yaml:7: unknown task type");
    }
    store.inTransaction(
        tx -> {
          tx.retainImportErrors(Set.of("b.yaml"));
          return null;
        });
    assertThat(
            store.inTransaction(tx -> tx.importErrors()).stream()
                .map(ImportError::source)
                .collect(Collectors.toList()))
        .containsExactly("b.yaml");
  }

  @Test
  void retriesAndReschedulesExposeTheirNextReadyTime() {
    dagWithRun("d", T0);
    String runId = run("d", T0, DagRunState.RUNNING).runId();
    store.inTransaction(
        tx -> {
          tx.insertTaskInstances(
              List.of(
                  TaskInstance.create("d", runId, "a", 1, 1, "default_pool", 1).toBuilder()
                      .state(TaskState.UP_FOR_RETRY)
                      .readyAt(T0.plusSeconds(30))
                      .build(),
                  TaskInstance.create("d", runId, "b", 1, 1, "default_pool", 1).toBuilder()
                      .state(TaskState.UP_FOR_RESCHEDULE)
                      .readyAt(T0.plusSeconds(10))
                      .build()));
          return null;
        });
    {
      var v26 = store.inTransaction(tx -> tx.nextReadyAt());
      assertThat(v26).contains(T0.plusSeconds(10));
    }
    {
      var v27 =
          store.inTransaction(
              tx -> tx.dueTaskInstances(TaskState.UP_FOR_RETRY, T0.plusSeconds(29)));
      assertThat(v27).isEmpty();
    }
    {
      var v28 =
          store.inTransaction(
              tx -> tx.dueTaskInstances(TaskState.UP_FOR_RETRY, T0.plusSeconds(30)));
      assertThat(v28).hasSize(1);
    }
  }
}
