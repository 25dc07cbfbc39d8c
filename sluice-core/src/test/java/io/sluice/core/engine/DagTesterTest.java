package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.service.DagRunView;
import io.sluice.core.testing.InMemoryStore;
import io.sluice.core.testing.TestScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DagTesterTest {
  static final Instant DAY = Instant.parse("2024-02-01T00:00:00Z");
  static final EngineOptions OPTIONS =
      EngineOptions.defaults().withExecutorThreads(2).withHeartbeat(Duration.ofSeconds(1));

  private static Dag chain(String id, AtomicInteger runs) {
    Dag.Builder b = Dag.builder(id).schedule("@daily").startDate(LocalDate.of(2024, 1, 1));
    b.task(
            "extract",
            ctx -> {
              runs.incrementAndGet();
              ctx.log().info("rows for {}", ctx.logicalDate());
              return 3;
            })
        .then(b.task("load", ctx -> ctx.xcomPull("extract", Integer.class).orElseThrow()));
    return b.build();
  }

  @Test
  void runsExactlyOneRunOfThatDagAndReportsLogsAndStatesAsTheyHappen() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    List<String> events = new ArrayList<>();
    InMemoryStore store = new InMemoryStore();
    try (DagTester tester =
        new DagTester(
            chain("etl", runs),
            store,
            Clock.systemUTC(),
            id -> java.util.Optional.empty(),
            OPTIONS)) {
      DagRunView done =
          tester.run(
              "{}",
              DAY,
              new DagTester.Listener() {
                @Override
                public void state(String taskId, int tryNumber, TaskState state) {
                  events.add(taskId + " " + state.dbValue());
                }

                @Override
                public void log(String taskId, int tryNumber, String line) {
                  events.add(taskId + " | " + line);
                }
              });
      assertThat(done.runState()).isEqualTo(DagRunState.SUCCESS);
      assertThat(done.runId()).isEqualTo("test__2024-02-01T00:00:00+00:00");
    }
    // why: a catch-up DAG from 2024-01-01 would get a scheduled run per day under a scheduler
    assertThat(runs).hasValue(1);
    List<DagRun> all = store.inTransaction(tx -> tx.runs("etl", 100));
    assertThat(all).hasSize(1);
    assertThat(events).contains("extract success", "load success");
    assertThat(events).anyMatch(e -> e.startsWith("extract | ") && e.contains("rows for"));
  }

  @Test
  void aPersistedTestRunIsNeverStartedOrEvaluatedByAScheduler() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    InMemoryStore own = new InMemoryStore();
    Dag etl = chain("etl", runs);
    try (TestScheduler<InMemoryStore> live = TestScheduler.start(DAY.plusSeconds(3600))) {
      try (DagTester tester =
          new DagTester(etl, own, Clock.systemUTC(), id -> java.util.Optional.empty(), OPTIONS)) {
        DagRunView done = tester.run("{}", DAY, quiet());
        assertThat(tester.copyTo(live.store(), done.runId())).isTrue();
      }
      DagRun copied = live.run("etl", "test__2024-02-01T00:00:00+00:00");
      assertThat(copied.runType()).isEqualTo(RunType.TEST);
      assertThat(copied.state()).isEqualTo(DagRunState.SUCCESS);
      assertThat(live.log("etl", copied.runId(), "extract", 1)).anyMatch(l -> l.contains("rows"));

      // a queued test run in a live store stays queued under a scheduler
      live.scheduler().dagBag().add(chain("other", new AtomicInteger()));
      live.scheduler().runs().triggerTest("other", "{}", DAY);
      live.runUntilIdle();
      assertThat(live.runs("other"))
          .filteredOn(r -> r.runType() == RunType.TEST)
          .extracting(DagRun::state)
          .containsExactly(DagRunState.QUEUED);
    }
  }

  @Test
  void aDagWithAServiceTaskIsRefusedBeforeAnythingStarts() {
    var b = Dag.builder("streams").startDate(LocalDate.of(2024, 1, 1));
    b.task("users_stream", new ServiceTaskTest.Service());
    Dag dag = b.build();
    assertThatThrownBy(
            () ->
                new DagTester(
                    dag,
                    new InMemoryStore(),
                    Clock.systemUTC(),
                    id -> java.util.Optional.empty(),
                    OPTIONS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'users_stream'")
        .hasMessageContaining("service task");
  }

  private static DagTester.Listener quiet() {
    return new DagTester.Listener() {
      @Override
      public void state(String taskId, int tryNumber, TaskState state) {}

      @Override
      public void log(String taskId, int tryNumber, String line) {}
    };
  }
}
