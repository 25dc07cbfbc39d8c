package io.sluice.store.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A profile of a benchmark's measured part, when the system property {@code sluice.bench.profile}
 * names a directory (the bench scripts' {@code --profile}): a Java Flight Recording of that part
 * only ({@code <dir>/<name>.jfr}, JFR's {@code profile} settings) and, on PostgreSQL, the
 * database's side of the same interval: statements and transactions per task, the time PostgreSQL
 * spent executing them, the statements that took most of it ({@code pg_stat_statements}), and the
 * CPU seconds of the PostgreSQL processes against this JVM's, and the round trips this JVM's engine
 * threads made to it (the driver's {@code Sync} messages; the benchmark's own thread left out).
 */
final class BenchProfile implements AutoCloseable {
  private static final String DIR = System.getProperty("sluice.bench.profile");
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private final String name;
  private final Recording recording;
  private final DataSource pg;
  private final long postmaster;
  private final long commitsBefore;
  private final long pgTicksBefore;
  private final long jvmNanosBefore;
  private final RoundTrips roundTrips;

  private BenchProfile(String name, DataSource pg) throws Exception {
    this.name = name;
    this.pg = pg;
    this.postmaster = pg == null ? -1 : postmasterPid(pg);
    if (pg != null) sql(pg, "SELECT pg_stat_statements_reset()");
    this.commitsBefore = pg == null ? 0 : commits(pg);
    this.pgTicksBefore = pg == null ? 0 : ticks(postmaster);
    this.jvmNanosBefore = jvmCpuNanos();
    this.roundTrips = pg == null ? null : RoundTrips.start();
    this.recording = new Recording(Configuration.getConfiguration("profile"));
    recording.setName(name);
    recording.start();
  }

  /** Whether the benchmark runs with {@code --profile}. */
  static boolean enabled() {
    return DIR != null && !DIR.isBlank();
  }

  /** Starts PostgreSQL with {@code pg_stat_statements} loaded when profiling. */
  static EmbeddedPostgres.Builder withStatements(EmbeddedPostgres.Builder b) {
    if (!enabled()) return b;
    return b.setServerConfig("shared_preload_libraries", "pg_stat_statements")
        .setServerConfig("pg_stat_statements.track", "all");
  }

  /** Starts profiling the measured part; a no-op when not profiling. {@code pg} may be null. */
  static BenchProfile start(String name, DataSource pg) throws Exception {
    if (!enabled()) return null;
    if (pg != null) sql(pg, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    return new BenchProfile(name, pg);
  }

  /** Ends the profile of a part that ran {@code tasks} tasks and prints the database's side. */
  void finish(long tasks) throws Exception {
    long jvmNanos = jvmCpuNanos() - jvmNanosBefore;
    long pgTicks = pg == null ? 0 : ticks(postmaster) - pgTicksBefore;
    long commits = pg == null ? 0 : commits(pg) - commitsBefore;
    recording.stop();
    Path file = Path.of(DIR).resolve(name + ".jfr");
    Files.createDirectories(file.getParent());
    recording.dump(file);
    System.out.printf("profile: JFR recording of the measured part in %s%n", file);
    System.out.printf(
        Locale.ROOT,
        "profile: CPU over the measured part: this JVM %.2f s%s%n",
        jvmNanos / 1e9,
        pg == null
            ? ""
            : String.format(
                Locale.ROOT,
                ", PostgreSQL processes %.2f s (%.0f%% of the two)",
                pgTicks / (double) CLOCK_TICKS_PER_SECOND,
                100.0
                    * pgTicks
                    / CLOCK_TICKS_PER_SECOND
                    / (pgTicks / (double) CLOCK_TICKS_PER_SECOND + jvmNanos / 1e9)));
    if (pg != null) {
      System.out.printf(
          Locale.ROOT,
          "profile: PostgreSQL round trips per task from the engine's threads: %.2f%n",
          roundTrips.stop() / (double) tasks);
      statements(tasks, commits);
    }
  }

  @Override
  public void close() {
    recording.close();
  }

  private void statements(long tasks, long commits) throws SQLException {
    String mine = " FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'";
    try (Connection c = pg.getConnection();
        Statement s = c.createStatement()) {
      double all;
      try (ResultSet rs = s.executeQuery("SELECT sum(calls), sum(total_exec_time)" + mine)) {
        rs.next();
        all = rs.getDouble(2);
        System.out.printf(
            Locale.ROOT,
            "profile: PostgreSQL per task (%d tasks): %.1f statements, %.1f transactions,"
                + " %.3f ms executing statements (%.1f s in all)%n",
            tasks,
            rs.getLong(1) / (double) tasks,
            commits / (double) tasks,
            all / tasks,
            all / 1000);
      }
      System.out.println("\n| statement | calls per task | ms per call | share of DB time |");
      System.out.println("|---|---:|---:|---:|");
      // why: every statement a task makes, so that the calls per task add up to the total
      String top =
          "SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
              + mine
              + " ORDER BY total_exec_time DESC LIMIT 40";
      try (ResultSet rs = s.executeQuery(top)) {
        while (rs.next()) {
          System.out.printf(
              Locale.ROOT,
              "| `%s` | %.2f | %.3f | %.1f%% |%n",
              rs.getString(3).replace("|", "\\|"),
              rs.getLong(1) / (double) tasks,
              rs.getDouble(2) / Math.max(1, rs.getLong(1)),
              100 * rs.getDouble(2) / all);
        }
      }
    }
    System.out.println();
  }

  private static void sql(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      // why: the store's pool hands out connections that do not commit on their own
      c.setAutoCommit(true);
      s.execute(sql);
    }
  }

  private static long commits(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      // why: the statistics collector's counters are a snapshot per transaction unless cleared
      s.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long postmasterPid(DataSource ds) throws SQLException, IOException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return statField(rs.getLong(1), 4);
    }
  }

  /** utime + stime of the postmaster and its children (the backends and workers), in ticks. */
  private static long ticks(long postmaster) throws IOException {
    long sum = statField(postmaster, 14) + statField(postmaster, 15);
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String n = p.getFileName().toString();
        if (!n.chars().allMatch(Character::isDigit)) continue;
        try {
          long pid = Long.parseLong(n);
          if (statField(pid, 4) == postmaster) sum += statField(pid, 14) + statField(pid, 15);
        } catch (IOException | RuntimeException gone) {
          // why: a process may end between the listing and the read
        }
      }
    }
    return sum;
  }

  /** Field {@code index} (1-based, as in proc(5)) of /proc/[pid]/stat. */
  private static long statField(long pid, int index) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // why: the command name in parentheses may hold spaces; fields after it are plain
    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(rest[index - 3]);
  }

  /**
   * Counts the driver's {@code Sync} messages, one per round trip (a statement, or a batch of them
   * sent together), on threads other than the benchmark's {@code main}.
   */
  private static final class RoundTrips extends Handler {
    private static final Logger DRIVER =
        Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");
    private final LongAdder syncs = new LongAdder();
    private Level before;

    static RoundTrips start() {
      RoundTrips r = new RoundTrips();
      r.before = DRIVER.getLevel();
      r.setLevel(Level.ALL);
      DRIVER.addHandler(r);
      DRIVER.setLevel(Level.FINEST);
      return r;
    }

    long stop() {
      DRIVER.setLevel(before);
      DRIVER.removeHandler(this);
      return syncs.sum();
    }

    @Override
    public void publish(LogRecord r) {
      if (" FE=> Sync".equals(r.getMessage()) && !"main".equals(Thread.currentThread().getName()))
        syncs.increment();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
