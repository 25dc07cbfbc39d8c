package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.testing.DagTestKit;
import io.sluice.core.testing.TestScheduler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DagTestKit.class)
class LiveTaskLogTest {

  @Test
  void aRunningTasksLinesAreStoredWhileItRuns(TestScheduler kit) throws Exception {
    Dag.Builder b = Dag.builder("live");
    b.task(
        "service",
        ctx -> {
          ctx.log().info("batch 1: 100 rows, lag 0");
          ctx.sleep(Duration.ofHours(1));
          ctx.log().info("batch 2: 100 rows, lag 0");
          return null;
        });
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("live");
    assertThat(kit.taskInstance("live", run.runId(), "service").state())
        .isEqualTo(TaskState.RUNNING);

    // the try has not ended, and its first line is readable (polled; bounded at 5 s)
    List<String> lines = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      lines = kit.log("live", run.runId(), "service", 1);
      if (lines.stream().anyMatch(l -> l.contains("batch 1"))) break;
      Thread.sleep(50);
    }
    assertThat(lines).anyMatch(l -> l.contains("batch 1")).noneMatch(l -> l.contains("batch 2"));
    assertThat(kit.taskInstance("live", run.runId(), "service").state())
        .isEqualTo(TaskState.RUNNING);

    kit.advance(Duration.ofHours(2));
    List<String> all = kit.log("live", run.runId(), "service", 1);
    List<String> batches = new java.util.ArrayList<>();
    for (String l : all) if (l.contains("batch")) batches.add(l);
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0)).contains("batch 1");
  }
}
