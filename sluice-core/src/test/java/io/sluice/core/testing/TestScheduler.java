package io.sluice.core.testing;

import io.sluice.api.Dag;
import io.sluice.api.TaskState;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.tasks.TaskTypeRegistry;
import io.sluice.core.time.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real scheduler and executor on a metadata store (the {@link InMemoryStore} unless given) with
 * a virtual clock. Time moves only when the test calls {@link #advance} or {@link #advanceTo}; the
 * kit then steps through every moment something is due (a run, a retry, a reschedule, a timeout, a
 * sleeping task) and waits until nothing more happens at each.
 *
 * <pre>{@code
 * try (TestScheduler kit = TestScheduler.start(Instant.parse("2024-01-01T00:00:00Z"), dag)) {
 *   kit.advance(Duration.ofDays(3));
 *   assertThat(kit.runs("my_dag")).hasSize(3);
 * }
 * }</pre>
 */
public final class TestScheduler<S extends MetadataStore> implements AutoCloseable {
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(30);

  private final VirtualClock clock;
  private final S store;
  private final EngineLoop scheduler;

  private TestScheduler(S store, Instant start, int threads, Path dagsFolder, Dag... dags) {
    this.clock = new VirtualClock(start);
    this.store = store;
    DagBag bag = new DagBag(dagsFolder, TaskTypeRegistry.load(), clock);
    for (Dag d : dags) bag.add(d);
    this.scheduler =
        new Engines(
                store,
                bag,
                clock,
                clock,
                ConnectionResolver.fromEnvironment(Map.of()),
                EngineOptions.defaults()
                    .withExecutorThreads(threads)
                    .withShutdownGrace(Duration.ZERO))
            .standalone();
  }

  /** On a fresh {@link InMemoryStore}. */
  public static TestScheduler<InMemoryStore> start(Instant now, Dag... dags) {
    return new TestScheduler<>(new InMemoryStore(), now, 4, null, dags);
  }

  public static TestScheduler<InMemoryStore> start(Instant now, int executorThreads, Dag... dags) {
    return new TestScheduler<>(new InMemoryStore(), now, executorThreads, null, dags);
  }

  /** With a folder of YAML DAG files, rescanned on every scheduler pass. */
  public static TestScheduler<InMemoryStore> withDagsFolder(
      Instant now, Path dagsFolder, Dag... dags) {
    return new TestScheduler<>(new InMemoryStore(), now, 4, dagsFolder, dags);
  }

  /** On the given (migrated) store, which the kit closes. */
  public static <S extends MetadataStore> TestScheduler<S> on(S store, Instant now, Dag... dags) {
    return new TestScheduler<>(store, now, 4, null, dags);
  }

  public VirtualClock clock() {
    return clock;
  }

  public Instant now() {
    return clock.instant();
  }

  public EngineLoop scheduler() {
    return scheduler;
  }

  public S store() {
    return store;
  }

  /** Moves time forward by {@code d}, running everything that falls due on the way. */
  public TestScheduler<S> advance(Duration d) {
    return advanceTo(clock.instant().plus(d));
  }

  /** Moves time to {@code target}, stopping at each moment something is due. */
  public TestScheduler<S> advanceTo(Instant target) {
    runUntilIdle();
    while (true) {
      Optional<Instant> next =
          Stream.of(scheduler.nextDueTime(), clock.nextWakeUp())
              .flatMap(Optional::stream)
              .min(Comparator.naturalOrder());
      if (next.isEmpty() || next.get().isAfter(target)) break;
      clock.set(next.get());
      runUntilIdle();
    }
    clock.set(target);
    runUntilIdle();
    return this;
  }

  /** Runs scheduler passes until no state changes and every task is done or asleep. */
  public TestScheduler<S> runUntilIdle() {
    long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
    while (true) {
      long before = scheduler.changeCount();
      scheduler.tick();
      awaitExecutorQuiet(deadline);
      if (scheduler.changeCount() == before) return this;
      if (System.nanoTime() > deadline)
        throw new AssertionError("scheduler did not become idle within " + QUIET_TIMEOUT);
    }
  }

  private void awaitExecutorQuiet(long deadline) {
    while (scheduler.inFlight() > clock.sleeping()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError(
            "tasks still running after "
                + QUIET_TIMEOUT
                + " (a task that waits must use TaskContext.sleep)");
      Thread.onSpinWait();
      try {
        Thread.sleep(0, 200_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  /** Triggers a manual run now and runs until idle. */
  public DagRun trigger(String dagId) {
    return trigger(dagId, "{}");
  }

  public DagRun trigger(String dagId, String confJson) {
    String runId = scheduler.runs().trigger(dagId, confJson, null).runId();
    runUntilIdle();
    return store.inTransaction(tx -> tx.run(dagId, runId)).orElseThrow();
  }

  /** Runs of a DAG, oldest logical date first. */
  public List<DagRun> runs(String dagId) {
    return store.inTransaction(tx -> tx.runs(dagId, Integer.MAX_VALUE)).stream()
        .sorted(Comparator.comparing(DagRun::logicalDate))
        .toList();
  }

  public DagRun run(String dagId, String runId) {
    return store
        .inTransaction(tx -> tx.run(dagId, runId))
        .orElseThrow(() -> new AssertionError("no run " + runId));
  }

  /** Task states of a run, by task id. */
  public Map<String, TaskState> states(String dagId, String runId) {
    Map<String, TaskState> out = new LinkedHashMap<>();
    for (TaskInstance ti : store.inTransaction(tx -> tx.taskInstances(dagId, runId)))
      out.put(ti.taskId(), ti.state());
    return out;
  }

  public TaskInstance taskInstance(String dagId, String runId, String taskId) {
    return store
        .inTransaction(tx -> tx.taskInstance(dagId, runId, taskId))
        .orElseThrow(() -> new AssertionError("no task instance " + taskId));
  }

  public List<String> log(String dagId, String runId, String taskId, int tryNumber) {
    return store.inTransaction(tx -> tx.readLog(dagId, runId, taskId, tryNumber));
  }

  @Override
  public void close() {
    scheduler.close();
    store.close();
  }
}
