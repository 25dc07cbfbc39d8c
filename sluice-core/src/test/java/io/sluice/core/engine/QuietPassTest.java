package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.tasks.TaskTypeRegistry;
import io.sluice.core.testing.InMemoryStore;
import io.sluice.core.time.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A scheduler's background passes with nothing changed and nothing due read nothing, and it still
 * creates a run when one falls due, starts a triggered one at once, and reads again within {@link
 * RunScheduler#QUIET_TICKS} ticks.
 */
class QuietPassTest {
  private static final Duration TICK = Duration.ofSeconds(1);

  /** The in-memory store, counting its transactions. */
  private static final class CountingStore implements MetadataStore {
    final InMemoryStore store = new InMemoryStore();
    final AtomicLong transactions = new AtomicLong();

    @Override
    public <T> T inTransaction(TransactionWork<T> work) {
      transactions.incrementAndGet();
      return store.inTransaction(work);
    }

    @Override
    public void migrate() {}

    @Override
    public void reset() {
      store.reset();
    }

    @Override
    public String describe() {
      return store.describe();
    }

    @Override
    public void close() {}
  }

  @Test
  void quietPassesReadNothingUntilSomethingChangesOrFallsDue() throws Exception {
    VirtualClock clock = new VirtualClock(Instant.parse("2024-01-10T05:00:00Z"));
    CountingStore store = new CountingStore();
    DagBag bag = new DagBag(null, TaskTypeRegistry.load(), clock);
    Dag.Builder b =
        Dag.builder("daily").schedule("@daily").startDate(LocalDate.of(2024, 1, 1)).catchup(false);
    b.task("a", ctx -> null);
    bag.add(b.build());
    EngineOptions options =
        EngineOptions.defaults().withTick(TICK).withShutdownGrace(Duration.ZERO);
    try (EngineLoop engine =
        new Engines(store, bag, clock, clock, ConnectionResolver.fromEnvironment(Map.of()), options)
            .standalone()) {
      passUntilSucceeded(engine, store, 1);
      engine.backgroundTick();

      long before = store.transactions.get();
      for (int i = 0; i < 50; i++) engine.backgroundTick();
      assertThat(store.transactions.get()).isEqualTo(before);

      clock.advance(TICK.multipliedBy(RunScheduler.QUIET_TICKS));
      engine.backgroundTick();
      assertThat(store.transactions.get()).isGreaterThan(before);

      clock.set(Instant.parse("2024-01-11T00:00:01Z"));
      passUntilSucceeded(engine, store, 2);

      engine.runs().trigger("daily", "{}", null);
      passUntilSucceeded(engine, store, 3);
    }
  }

  /** Background passes until {@code n} runs of the DAG succeeded (at most 30 s). */
  private static void passUntilSucceeded(EngineLoop engine, MetadataStore store, int n)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      engine.backgroundTick();
      long succeeded =
          store.inTransaction(tx -> tx.runs("daily", 100)).stream()
              .filter(r -> r.state() == DagRunState.SUCCESS)
              .count();
      if (succeeded >= n) return;
      assertThat(System.nanoTime()).as("waited 30 s for %d runs", n).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
