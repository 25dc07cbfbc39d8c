package io.sluice.store.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskRef;
import io.sluice.api.TaskState;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.time.Sleeper;
import io.sluice.store.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Several schedulers and {@code sluice worker}s on one PostgreSQL database, each a separate {@link
 * Scheduler} instance with its own executor id and connection pool, on the real wall clock.
 *
 * <p>The size is {@code -Dsluice.scaleout.runs=N} runs of a 10-task DAG (default 200: 2,000 tasks;
 * 1000 gives the 10,000-task version).
 */
class SchedulersAndWorkersOnPostgresTest {
  /** The server under test; a subclass starts another one in its own {@code @BeforeAll}. */
  static AutoCloseable server;

  static String url;
  static String user;
  static String password;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void startPostgres(TestInfo info) throws IOException {
    // why: JUnit runs this for subclasses too, before their own @BeforeAll
    if (info.getTestClass().orElseThrow() != SchedulersAndWorkersOnPostgresTest.class) return;
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("max_connections", "200")
            .start();
    use(postgres, postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
  }

  static void use(AutoCloseable s, String jdbcUrl, String jdbcUser, String jdbcPassword) {
    server = s;
    url = jdbcUrl;
    user = jdbcUser;
    password = jdbcPassword;
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (server != null) server.close();
    server = null;
  }

  @BeforeEach
  void emptyDatabase() {
    try (JdbcStore store = openStore()) {
      store.reset();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
    open.clear();
  }

  static JdbcStore openStore() {
    return JdbcStore.open(url, user, password, 12);
  }

  /** A process of its own in all but the JVM: its own pool, DAG bag and executor id. */
  EngineLoop instance(Function<Engines, EngineLoop> kind, EngineOptions options, Dag dag) {
    JdbcStore store = openStore();
    Clock clock = Clock.systemUTC();
    EngineLoop s =
        kind.apply(
            new Engines(
                store,
                DagBag.of(clock, dag),
                clock,
                Sleeper.SYSTEM,
                ConnectionResolver.fromEnvironment(Map.of()),
                options));
    open.add(store);
    open.add(s);
    return s;
  }

  static void await(Duration timeout, BooleanSupplier done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(50);
    }
  }

  @Test
  void twoSchedulersAndTwoWorkersRunEveryTaskExactlyOnce() throws Exception {
    int runs = Integer.getInteger("sluice.scaleout.runs", 200);
    Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    Map<String, String> executedBy = new ConcurrentHashMap<>();
    // t0 >> [t1..t8] >> t9: ten tasks with a fan-out and a fan-in per run
    Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(30));
    Dag.Builder b =
        Dag.builder("fan")
            .schedule("* * * * *")
            .startDate(start)
            .endDate(start.plus(Duration.ofMinutes(runs - 1)))
            .catchup(true)
            .maxActiveRuns(runs)
            .maxActiveTasks(1000);
    List<TaskRef<?>> middle = new ArrayList<>();
    TaskRef<Object>[] ends = new TaskRef[2];
    for (int i = 0; i < 10; i++) {
      String id = "t" + i;
      TaskRef<Object> t =
          b.task(
              id,
              ctx -> {
                String key =
                    ctx.dagId() + "|" + ctx.runId() + "|" + ctx.taskId() + "|" + ctx.tryNumber();
                executions.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                executedBy.put(key, Thread.currentThread().getName());
                return null;
              });
      if (i == 0) ends[0] = t;
      else if (i == 9) ends[1] = t;
      else middle.add(t);
    }
    for (TaskRef<?> m : middle) {
      ends[0].then(m);
      m.then(ends[1]);
    }
    Dag dag = b.build();

    EngineOptions options =
        EngineOptions.defaults()
            .withExecutorThreads(8)
            .withTick(Duration.ofMillis(500))
            .withHeartbeat(Duration.ofSeconds(2));
    List<EngineLoop> all = new ArrayList<>();
    // two workers first: they find nothing until a scheduler has created runs
    for (int i = 0; i < 2; i++)
      all.add(instance(Engines::worker, options.withTick(Duration.ofMillis(50)), dag));
    for (int i = 0; i < 2; i++) all.add(instance(Engines::scheduler, options, dag));
    all.forEach(EngineLoop::start);

    JdbcStore check = openStore();
    open.add(check);
    long t0 = System.nanoTime();
    await(
        Duration.ofMinutes(runs / 100 + 2),
        () ->
            check.inTransaction(tx -> tx.runs("fan", Integer.MAX_VALUE)).size() == runs
                && check.inTransaction(tx -> tx.runs("fan", Integer.MAX_VALUE)).stream()
                    .allMatch(r -> r.state().isFinished()),
        runs + " finished runs");
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "%d runs, %d tasks: %.1f s, %.0f tasks/s%n", runs, runs * 10, seconds, runs * 10 / seconds);

    List<DagRun> done = check.inTransaction(tx -> tx.runs("fan", Integer.MAX_VALUE));
    assertThat(done).hasSize(runs).allMatch(r -> r.state() == DagRunState.SUCCESS);
    assertThat(executions).hasSize(runs * 10);
    assertThat(executions.values()).allMatch(n -> n.get() == 1);
    assertThat(executions.keySet()).allMatch(k -> k.endsWith("|1"));
    List<TaskInstance> tis = new ArrayList<>();
    for (DagRun r : done) tis.addAll(check.inTransaction(tx -> tx.taskInstances("fan", r.runId())));
    assertThat(tis)
        .hasSize(runs * 10)
        .allMatch(t -> t.state() == TaskState.SUCCESS && t.tryNumber() == 1);
    // only workers executed; both took part
    assertThat(tis).allMatch(t -> t.executorId().startsWith("worker-"));
    assertThat(tis.stream().map(TaskInstance::executorId).distinct()).hasSize(2);
  }

  @Test
  void taskOfAWorkerThatStopsHeartbeatingIsRetriedByAnotherWorker() throws Exception {
    CountDownLatch firstTryStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstTry = new CountDownLatch(1);
    Map<Integer, String> triedOn = new ConcurrentHashMap<>();
    Dag.Builder b = Dag.builder("lost");
    b.task(
            "t",
            ctx -> {
              triedOn.put(ctx.tryNumber(), Thread.currentThread().getName());
              if (ctx.tryNumber() == 1) {
                firstTryStarted.countDown();
                // the first worker is "gone": its task never comes back in time
                releaseFirstTry.await();
              }
              return "done";
            })
        .retries(1, Duration.ZERO);
    Dag dag = b.build();
    EngineOptions options =
        EngineOptions.defaults()
            .withExecutorThreads(2)
            .withTick(Duration.ofMillis(100))
            .withZombieThreshold(Duration.ofSeconds(2));
    EngineLoop scheduler = instance(Engines::scheduler, options, dag);
    // a worker that stops sending heartbeats (as a killed process would) but keeps its thread
    // one thread, busy with try 1, so that it cannot take try 2 itself
    EngineLoop silent =
        instance(
            Engines::worker, options.withExecutorThreads(1).withHeartbeat(Duration.ofDays(1)), dag);
    scheduler.start();
    silent.start();
    var run = scheduler.runs().trigger("lost", "{}", null);
    assertThat(firstTryStarted.await(30, TimeUnit.SECONDS)).isTrue();
    EngineLoop healthy =
        instance(Engines::worker, options.withHeartbeat(Duration.ofMillis(200)), dag);
    healthy.start();

    JdbcStore check = openStore();
    open.add(check);
    await(
        Duration.ofSeconds(30),
        () ->
            check.inTransaction(tx -> tx.run("lost", run.runId())).orElseThrow().state()
                == DagRunState.SUCCESS,
        "the run to succeed on the healthy worker");
    TaskInstance ti = check.inTransaction(tx -> tx.taskInstance("lost", run.runId(), "t")).get();
    assertThat(ti.tryNumber()).isEqualTo(2);
    assertThat(ti.executorId()).isEqualTo(healthy.executorId());
    assertThat(ti.note()).isNull();
    // the silent worker's late outcome of try 1 changes nothing
    releaseFirstTry.countDown();
    await(Duration.ofSeconds(10), () -> silent.inFlight() == 0, "the stale try to return");
    TaskInstance after = check.inTransaction(tx -> tx.taskInstance("lost", run.runId(), "t")).get();
    assertThat(after.state()).isEqualTo(TaskState.SUCCESS);
    assertThat(after.tryNumber()).isEqualTo(2);
  }

  @Test
  void schedulerThatDoesNotExecuteLeavesTasksScheduledUntilAWorkerComes() throws Exception {
    Dag.Builder b = Dag.builder("handoff");
    b.chain(b.task("a", ctx -> 1), b.task("b", ctx -> 2));
    Dag dag = b.build();
    EngineOptions options = EngineOptions.defaults().withTick(Duration.ofMillis(100));
    EngineLoop scheduler = instance(Engines::scheduler, options, dag);
    scheduler.start();
    var run = scheduler.runs().trigger("handoff", "{}", null);
    JdbcStore check = openStore();
    open.add(check);
    await(
        Duration.ofSeconds(10),
        () ->
            check
                    .inTransaction(tx -> tx.taskInstance("handoff", run.runId(), "a"))
                    .map(TaskInstance::state)
                    .orElse(null)
                == TaskState.SCHEDULED,
        "task a to be scheduled");
    EngineLoop worker = instance(Engines::worker, options.withTick(Duration.ofMillis(50)), dag);
    worker.start();
    await(
        Duration.ofSeconds(30),
        () ->
            check.inTransaction(tx -> tx.run("handoff", run.runId())).orElseThrow().state()
                == DagRunState.SUCCESS,
        "the run to succeed");
    List<TaskInstance> tis = check.inTransaction(tx -> tx.taskInstances("handoff", run.runId()));
    assertThat(tis).hasSize(2).allMatch(t -> worker.executorId().equals(t.executorId()));
  }
}
