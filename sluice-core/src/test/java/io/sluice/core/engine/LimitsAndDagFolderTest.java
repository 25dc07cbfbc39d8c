package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.Pool;
import io.sluice.core.testing.DagTestKit;
import io.sluice.core.testing.TestScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(DagTestKit.class)
class LimitsAndDagFolderTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  static Dag fanOut(
      String id,
      int width,
      AtomicInteger concurrent,
      AtomicInteger peak,
      List<String> order,
      String pool,
      int maxActiveTasks) {
    Dag.Builder b = Dag.builder(id).maxActiveTasks(maxActiveTasks);
    for (int i = 0; i < width; i++) {
      String name = "w" + i;
      var t =
          b.task(
                  name,
                  ctx -> {
                    order.add(name);
                    peak.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                    ctx.sleep(Duration.ofMinutes(1));
                    concurrent.decrementAndGet();
                    return null;
                  })
              .priorityWeight(i);
      if (pool != null) t.pool(pool);
    }
    return b.build();
  }

  @Test
  void poolSlotsLimitTasksAcrossTheDagAndHigherPriorityGoesFirst(TestScheduler<?> kit) {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<String> order = new CopyOnWriteArrayList<>();
    kit.store()
        .inTransaction(
            tx -> {
              tx.upsertPool(new Pool("api", 1, "one call at a time"));
              return null;
            });
    kit.scheduler().dagBag().add(fanOut("pooled", 3, concurrent, peak, order, "api", 16));
    DagRun run = kit.trigger("pooled");
    kit.advance(Duration.ofMinutes(5));
    assertThat(peak.get()).isEqualTo(1);
    assertThat(order).containsExactly("w2", "w1", "w0");
    assertThat(kit.run("pooled", run.runId()).state()).isEqualTo(DagRunState.SUCCESS);
  }

  @Test
  void maxActiveTasksLimitsTasksOfOneDag(TestScheduler<?> kit) {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    kit.scheduler()
        .dagBag()
        .add(fanOut("narrow", 4, concurrent, peak, new CopyOnWriteArrayList<>(), null, 2));
    DagRun run = kit.trigger("narrow");
    assertThat(kit.states("narrow", run.runId()).values())
        .filteredOn(s -> s == TaskState.RUNNING)
        .hasSize(2);
    kit.advance(Duration.ofMinutes(5));
    assertThat(peak.get()).isEqualTo(2);
    assertThat(kit.states("narrow", run.runId()).values()).containsOnly(TaskState.SUCCESS);
  }

  @Test
  void yamlDagAddedToTheFolderIsScheduledAndItsErrorsAreRecorded(@TempDir Path dags)
      throws Exception {
    try (TestScheduler<?> kit = TestScheduler.withDagsFolder(T0, dags)) {
      kit.runUntilIdle();
      List<?> noDags = kit.store().inTransaction(tx -> tx.dags());
      assertThat(noDags).isEmpty();

      Files.writeString(
          dags.resolve("hourly.yaml"),
          """
          dag_id: hourly
          schedule: "@hourly"
          start_date: 2024-01-01
          tasks:
            - id: extract
              type: noop
            - id: load
              type: noop
              depends_on: [extract]
          """);
      Files.writeString(
          dags.resolve("broken.yaml"),
          """
          dag_id: broken
          tasks:
            - id: a
              type: teleport
          """);
      kit.advance(Duration.ofHours(2));
      assertThat(kit.runs("hourly"))
          .extracting(DagRun::logicalDate)
          .containsExactly(T0, T0.plus(Duration.ofHours(1)));
      assertThat(kit.runs("hourly"))
          .allSatisfy(r -> assertThat(r.state()).isEqualTo(DagRunState.SUCCESS));
      var errors = kit.store().inTransaction(tx -> tx.importErrors());
      assertThat(errors)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.source()).endsWith("broken.yaml");
                assertThat(e.line()).isEqualTo(4);
                assertThat(e.message()).contains("unknown task type 'teleport'");
              });

      Files.writeString(
          dags.resolve("broken.yaml"), "dag_id: broken\ntasks:\n  - id: a\n    type: noop\n");
      Files.setLastModifiedTime(
          dags.resolve("broken.yaml"), FileTime.fromMillis(System.currentTimeMillis() + 10_000));
      kit.runUntilIdle();
      List<?> noErrors = kit.store().inTransaction(tx -> tx.importErrors());
      assertThat(noErrors).isEmpty();
      var fixed = kit.store().inTransaction(tx -> tx.dag("broken"));
      assertThat(fixed).isPresent();
    }
  }
}
