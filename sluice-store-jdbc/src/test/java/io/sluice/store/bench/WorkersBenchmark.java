package io.sluice.store.bench;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.model.DagRun;
import io.sluice.core.service.DagRunView;
import io.sluice.core.time.Sleeper;
import io.sluice.store.JdbcStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Two-task runs ({@code a >> b}, no-op tasks) on PostgreSQL with one scheduler that does not
 * execute and several workers, each with its own connection pool and executor id: the latency from
 * trigger to the run's end one run at a time, then the throughput of a burst of runs triggered at
 * once and the latency within it.
 *
 * <p>Run with {@code bench/orchestrator-workers.sh [workers] [burst runs] [threads per worker]
 * [triggering clients]}.
 */
public final class WorkersBenchmark {
  public static void main(String[] args) throws Exception {
    int workers = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int burst = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int threads = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    System.out.printf(
        "two-task runs, 1 scheduler (scheduler.execute=false) + %d workers x %d threads, %d cores,"
            + " java %s%n",
        workers,
        threads,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    Dag.Builder b = Dag.builder("two").maxActiveRuns(burst).maxActiveTasks(100_000);
    b.chain(b.task("a", ctx -> null), b.task("b", ctx -> null));
    Dag dag = b.build();
    try (EmbeddedPostgres pg =
        BenchProfile.withStatements(EmbeddedPostgres.builder())
            .setServerConfig("max_connections", "200")
            .setServerConfig("synchronous_commit", "off")
            .start()) {
      List<AutoCloseable> open = new ArrayList<>();
      try {
        EngineOptions options =
            EngineOptions.defaults().withExecutorThreads(threads).withTick(Duration.ofMillis(20));
        EngineLoop scheduler = instance(pg, open, dag, options, Engines::scheduler);
        // workers poll at the default worker.poll
        options = options.withTick(Duration.ofMillis(50));
        List<EngineLoop> ws = new ArrayList<>();
        for (int i = 0; i < workers; i++) ws.add(instance(pg, open, dag, options, Engines::worker));
        JdbcStore check = open(pg, open, 4);
        scheduler.syncDags();
        scheduler.start();
        ws.forEach(EngineLoop::start);

        Instant base = Instant.parse("2000-01-01T00:00:00Z");
        int serial = 50;
        for (int i = 0; i < 20; i++) trigger(scheduler, check, base.plusSeconds(i), true);
        List<Double> single = new ArrayList<>();
        for (int i = 0; i < serial; i++)
          single.add(trigger(scheduler, check, base.plusSeconds(1000 + i), true));
        single.sort(Double::compare);
        System.out.printf(
            "one run at a time (%d runs): trigger -> done p50 %.1f ms, p90 %.1f ms, min %.1f ms%n",
            serial, pct(single, 50), pct(single, 90), single.get(0));

        Instant burstBase = base.plus(Duration.ofDays(1));
        BenchProfile profile = BenchProfile.start("workers-burst", check.dataSource());
        long t0 = System.nanoTime();
        DagRunView[] runs = new DagRunView[burst];
        Instant[] triggered = new Instant[burst];
        // why: with several clients triggering at once, the trigger calls do not bound the rate
        java.util.concurrent.ExecutorService pool =
            java.util.concurrent.Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
          int first = c;
          pool.submit(
              () -> {
                for (int i = first; i < burst; i += clients) {
                  triggered[i] = Instant.now();
                  runs[i] = scheduler.runs().trigger("two", "{}", burstBase.plusSeconds(i));
                }
              });
        }
        pool.shutdown();
        pool.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
        while (check.inTransaction(tx -> tx.countRuns("two", DagRunState.SUCCESS))
            < 20 + serial + burst) Thread.sleep(20);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (profile != null) {
          profile.finish(burst * 2L);
          profile.close();
        }
        List<Double> lat = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
          String runId = runs[i].runId();
          DagRun r = check.inTransaction(tx -> tx.run("two", runId)).orElseThrow();
          lat.add(Duration.between(triggered[i], r.endDate()).toNanos() / 1e6);
        }
        lat.sort(Double::compare);
        System.out.printf(
            "burst of %d runs (%d triggering clients): %.1f s, %.0f runs/min (%.0f tasks/s); trigger -> done p50 %.0f ms, p99 %.0f ms%n",
            burst,
            clients,
            seconds,
            burst / seconds * 60,
            burst * 2 / seconds,
            pct(lat, 50),
            pct(lat, 99));
        // why: one stable line for bench/run-all.sh
        System.out.printf(
            java.util.Locale.ROOT,
            "BENCH workers=%d burst=%d clients=%d serial_ms_p50=%.1f runs_per_minute=%.0f"
                + " burst_ms_p50=%.1f burst_ms_p99=%.1f%n",
            workers,
            burst,
            clients,
            pct(single, 50),
            burst / seconds * 60,
            pct(lat, 50),
            pct(lat, 99));
      } finally {
        for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
      }
    }
  }

  static JdbcStore open(EmbeddedPostgres pg, List<AutoCloseable> open, int pool) {
    JdbcStore s =
        JdbcStore.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", pool);
    s.migrate();
    open.add(s);
    return s;
  }

  static EngineLoop instance(
      EmbeddedPostgres pg,
      List<AutoCloseable> open,
      Dag dag,
      EngineOptions options,
      Function<Engines, EngineLoop> kind) {
    JdbcStore store = open(pg, open, options.executorThreads() + 4);
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
    open.add(s);
    return s;
  }

  /** Triggers one run and, when {@code wait}, polls until it ends; returns trigger -> end in ms. */
  static double trigger(EngineLoop scheduler, JdbcStore check, Instant logical, boolean wait)
      throws InterruptedException {
    Instant at = Instant.now();
    var run = scheduler.runs().trigger("two", "{}", logical);
    if (!wait) return 0;
    while (true) {
      DagRun r = check.inTransaction(tx -> tx.run("two", run.runId())).orElseThrow();
      if (r.state().isFinished()) {
        if (r.state() != DagRunState.SUCCESS) throw new IllegalStateException("failed: " + r);
        return Duration.between(at, r.endDate()).toNanos() / 1e6;
      }
      Thread.sleep(2);
    }
  }

  static double pct(List<Double> sorted, int p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
  }
}
