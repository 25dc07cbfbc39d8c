package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.ServiceTask;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.testing.TestScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceTaskTest {
  /** Runs until interrupted, counting its starts and its clean stops. */
  static final class Service implements ServiceTask {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();

    @Override
    public Object execute(TaskContext ctx) throws Exception {
      starts.incrementAndGet();
      try {
        while (true) ctx.sleep(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        stops.incrementAndGet();
        throw e;
      }
    }
  }

  private static Dag dag(Service service) {
    var b =
        Dag.builder("service")
            .schedule("@once")
            .startDate(LocalDate.of(2024, 1, 1))
            .defaultRetries(100, Duration.ofSeconds(5));
    b.task("svc", service);
    return b.build();
  }

  @Test
  void pausingTheDagStopsAServiceTaskAndUnpausingStartsItAgain() {
    Service service = new Service();
    try (TestScheduler<?> kit =
        TestScheduler.start(Instant.parse("2024-01-02T00:00:00Z"), dag(service))) {
      kit.advance(Duration.ofSeconds(3));
      DagRun run = kit.runs("service").get(0);
      assertThat(kit.states("service", run.runId())).containsEntry("svc", TaskState.RUNNING);
      assertThat(service.starts).hasValue(1);

      kit.store().inTransaction(tx -> tx.setPaused("service", true));
      kit.advance(Duration.ofSeconds(30));
      assertThat(service.stops).hasValue(1);
      assertThat(kit.states("service", run.runId())).containsEntry("svc", TaskState.UP_FOR_RETRY);
      assertThat(service.starts).hasValue(1);

      kit.store().inTransaction(tx -> tx.setPaused("service", false));
      kit.advance(Duration.ofSeconds(10));
      assertThat(service.starts).hasValue(2);
      assertThat(kit.states("service", run.runId())).containsEntry("svc", TaskState.RUNNING);
    }
  }

  @Test
  void shutdownStopsAServiceTaskAtOnceInsteadOfWaitingTheGracePeriod() {
    Service service = new Service();
    TestScheduler<?> kit = TestScheduler.start(Instant.parse("2024-01-02T00:00:00Z"), dag(service));
    kit.advance(Duration.ofSeconds(3));
    long began = System.nanoTime();
    kit.close();
    assertThat(service.stops).hasValue(1);
    // the default grace period is 30 s; a service task must not hold shutdown that long
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(20));
  }
}
