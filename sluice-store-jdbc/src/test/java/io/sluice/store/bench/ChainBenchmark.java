package io.sluice.store.bench;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskRef;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.time.Sleeper;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Times a chain of no-op tasks from trigger to the last task's success, and the hand-off between
 * each task's end and its successor's start, on the embedded H2 database and on PostgreSQL.
 *
 * <p>Run with {@code bench/orchestrator-chain.sh [h2|postgres|both] [runs] [tasks]}.
 */
public final class ChainBenchmark {
  public static void main(String[] args) throws Exception {
    String db = args.length > 0 ? args[0] : "both";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    System.out.printf(
        "chain of %d no-op tasks, %d measured runs after %d warm-up runs, %d cores, java %s%n",
        tasks,
        runs,
        runs,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    if (db.equals("h2") || db.equals("both")) {
      try (JdbcStore store = MetadataDatabases.inMemory()) {
        measure("h2", "H2 (in-memory, MODE=PostgreSQL)", store, runs, tasks);
      }
    }
    if (db.equals("postgres") || db.equals("both")) {
      try (EmbeddedPostgres pg = BenchProfile.withStatements(EmbeddedPostgres.builder()).start();
          JdbcStore store =
              JdbcStore.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", 16)) {
        store.migrate();
        measure(
            "postgres",
            "PostgreSQL " + pgVersion(store) + " (embedded, zonky)",
            store,
            runs,
            tasks);
      }
    }
  }

  private static String pgVersion(JdbcStore store) throws Exception {
    try (var c = store.dataSource().getConnection();
        var rs = c.createStatement().executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  static Dag chain(int n) {
    Dag.Builder b = Dag.builder("chain_" + n);
    TaskRef<?> prev = null;
    for (int i = 0; i < n; i++) {
      TaskRef<Object> t = b.task(String.format("t%02d", i), ctx -> null);
      if (prev != null) prev.then(t);
      prev = t;
    }
    return b.build();
  }

  /**
   * Prints the human summary, then one line for bench/run-all.sh: {@code BENCH <db> tasks=..
   * seconds_p50=.. ...}.
   */
  static void measure(String db, String label, JdbcStore store, int runs, int tasks)
      throws Exception {
    Dag dag = chain(tasks);
    Clock clock = Clock.systemUTC();
    EngineOptions options = EngineOptions.defaults().withExecutorThreads(4);
    if (System.getProperty("bench.tick") != null)
      options =
          new EngineOptions(
              4,
              Duration.parse(System.getProperty("bench.tick")),
              options.heartbeat(),
              options.zombieThreshold(),
              options.shutdownGrace());
    try (EngineLoop scheduler =
        new Engines(
                store,
                DagBag.of(clock, dag),
                clock,
                Sleeper.SYSTEM,
                ConnectionResolver.fromEnvironment(Map.of()),
                options)
            .standalone()) {
      scheduler.syncDags();
      scheduler.start();
      runChains(scheduler, store, dag, runs, Instant.parse("2000-01-01T00:00:00Z"));
      BenchProfile profile =
          BenchProfile.start("chain-" + db, db.equals("postgres") ? store.dataSource() : null);
      List<Result> results =
          runChains(scheduler, store, dag, runs, Instant.parse("2001-01-01T00:00:00Z"));
      if (profile != null) {
        profile.finish((long) runs * tasks);
        profile.close();
      }
      List<Double> total = results.stream().map(r -> r.totalMillis).sorted().toList();
      List<Double> handoffs =
          results.stream().flatMap(r -> r.handoffMillis.stream()).sorted().toList();
      System.out.printf(
          "%s%n  trigger -> last success: p50 %.1f ms, min %.1f ms, max %.1f ms%n  hand-off end -> next start: p50 %.2f ms, p99 %.2f ms (%d hand-offs)%n",
          label,
          pct(total, 50),
          total.get(0),
          total.get(total.size() - 1),
          pct(handoffs, 50),
          pct(handoffs, 99),
          handoffs.size());
      System.out.printf(
          Locale.ROOT,
          "BENCH %s tasks=%d runs=%d seconds_p50=%.4f seconds_min=%.4f seconds_max=%.4f"
              + " handoff_ms_p50=%.3f handoff_ms_p99=%.3f%n",
          db,
          tasks,
          runs,
          pct(total, 50) / 1000,
          total.get(0) / 1000,
          total.get(total.size() - 1) / 1000,
          pct(handoffs, 50),
          pct(handoffs, 99));
    }
  }

  record Result(double totalMillis, List<Double> handoffMillis) {}

  static List<Result> runChains(
      EngineLoop scheduler, JdbcStore store, Dag dag, int runs, Instant base)
      throws InterruptedException {
    List<Result> out = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Instant triggeredAt = Instant.now();
      var run = scheduler.runs().trigger(dag.dagId(), "{}", base.plus(Duration.ofMinutes(i)));
      DagRun done;
      while (true) {
        done = store.inTransaction(tx -> tx.run(dag.dagId(), run.runId())).orElseThrow();
        if (done.state().isFinished()) break;
        Thread.sleep(5);
      }
      if (done.state() != DagRunState.SUCCESS)
        throw new IllegalStateException("run failed: " + done);
      List<TaskInstance> tis =
          store.inTransaction(tx -> tx.taskInstances(dag.dagId(), run.runId()));
      tis =
          tis.stream()
              .sorted(Comparator.comparing(TaskInstance::taskId))
              .collect(Collectors.toList());
      Instant last =
          tis.stream().map(TaskInstance::endDate).max(Comparator.naturalOrder()).orElseThrow();
      List<Double> handoffs = new ArrayList<>();
      for (int k = 1; k < tis.size(); k++)
        handoffs.add(micros(tis.get(k - 1).endDate(), tis.get(k).startDate()) / 1000.0);
      out.add(new Result(micros(triggeredAt, last) / 1000.0, handoffs));
    }
    return out;
  }

  static long micros(Instant a, Instant b) {
    return Duration.between(a, b).toNanos() / 1000;
  }

  static double pct(List<Double> sorted, int p) {
    if (sorted.isEmpty()) return Double.NaN;
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
  }
}
