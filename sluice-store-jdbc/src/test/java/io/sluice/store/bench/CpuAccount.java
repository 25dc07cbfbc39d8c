package io.sluice.store.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * CPU of a benchmark's measured part per component, from {@code /proc} (utime + stime, before and
 * after): this JVM's threads grouped by name (the scheduler's loop, the workers' loops and executor
 * threads, the benchmark's triggering client and its polling main thread, the garbage collector,
 * the JIT compilers) and the PostgreSQL server's processes (the postmaster and every child,
 * backends apart from background processes; children that ended in between count through the
 * postmaster's cutime and cstime).
 */
final class CpuAccount {
  private static final double TICK_MS = 10; // USER_HZ is 100 on Linux
  private static final List<String> ORDER =
      List.of(
          "scheduler (loop)",
          "workers (loops, executors, log flusher)",
          "driver (triggering client, main thread)",
          "JVM: garbage collector",
          "JVM: JIT compilers",
          "JVM: other threads",
          "PostgreSQL backends",
          "PostgreSQL background processes");

  private final long postmaster;
  private final Map<String, Long> before;
  private final long jvmNanosBefore;
  private final long startNanos = System.nanoTime();
  private final AtomicLong endedDriverNanos = new AtomicLong();

  private CpuAccount(long postmaster) throws IOException {
    this.postmaster = postmaster;
    this.before = snapshot();
    this.jvmNanosBefore = jvmCpuNanos();
  }

  /** Starts the account of this JVM and the PostgreSQL server that {@code pg} connects to. */
  static CpuAccount start(DataSource pg) throws IOException, SQLException {
    try (Connection c = pg.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      String[] backend = stat(Path.of("/proc", Long.toString(rs.getLong(1)), "stat"));
      return new CpuAccount(Long.parseLong(backend[4 - 2]));
    }
  }

  /** Adds the CPU of a driver thread that ends before {@link #finish} (a triggering client). */
  void ended(long threadCpuNanos) {
    endedDriverNanos.addAndGet(threadCpuNanos);
  }

  /** Prints the CPU per component and per task over the part that ran {@code tasks} tasks. */
  void finish(long tasks) throws IOException {
    double wallMs = (System.nanoTime() - startNanos) / 1e6;
    Map<String, Long> after = snapshot();
    double jvmMs = (jvmCpuNanos() - jvmNanosBefore) / 1e6;
    System.out.printf(
        Locale.ROOT,
        "cpu: %d tasks in %.2f s (%.0f tasks/s); CPU per task by component (ms), and its cores:%n",
        tasks,
        wallMs / 1000,
        tasks / (wallMs / 1000));
    double threadsMs = 0;
    double total = 0;
    for (String k : ORDER) {
      double ms = (after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L)) * TICK_MS;
      if (k.startsWith("driver")) ms += endedDriverNanos.get() / 1e6;
      if (!k.startsWith("PostgreSQL")) threadsMs += ms;
      else total += ms;
      line(k, ms, tasks, wallMs);
    }
    // why: threads that ended during the part are in the process's total, not in any thread's stat
    line("JVM: ended threads and rounding", Math.max(0, jvmMs - threadsMs), tasks, wallMs);
    total += Math.max(jvmMs, threadsMs);
    System.out.printf(
        Locale.ROOT,
        "cpu: all cpu_ms_per_task=%.3f jvm_ms_per_task=%.3f pg_ms_per_task=%.3f"
            + " cores_used=%.2f tasks_per_s_at_2_cores=%.0f%n",
        total / tasks,
        Math.max(jvmMs, threadsMs) / tasks,
        (total - Math.max(jvmMs, threadsMs)) / tasks,
        total / wallMs,
        2000.0 * tasks / total);
  }

  private static void line(String k, double ms, long tasks, double wallMs) {
    System.out.printf(
        Locale.ROOT, "cpu:   %-42s %7.3f ms/task  %5.2f cores%n", k, ms / tasks, ms / wallMs);
  }

  private Map<String, Long> snapshot() throws IOException {
    Map<String, Long> m = new LinkedHashMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String[] f = stat(t.resolve("stat"));
          m.merge(thread(f[0]), ticks(f), Long::sum);
        } catch (IOException | RuntimeException gone) {
          // why: a thread may end between the listing and the read
        }
      }
    }
    String[] pm = stat(Path.of("/proc", Long.toString(postmaster), "stat"));
    // why: cutime and cstime hold the children the postmaster reaped (backends, autovacuum workers)
    long reaped = Long.parseLong(pm[16 - 2]) + Long.parseLong(pm[17 - 2]);
    m.merge("PostgreSQL background processes", ticks(pm) + reaped, Long::sum);
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String n = p.getFileName().toString();
        if (!n.chars().allMatch(Character::isDigit)) continue;
        try {
          String[] f = stat(p.resolve("stat"));
          if (Long.parseLong(f[4 - 2]) != postmaster) continue;
          String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
          // why: a backend's title is "postgres: <user> <db> <host>(<port>) <state>"
          boolean backend = cmd.matches("postgres: \\S+ \\S+ \\S+\\(\\d+\\).*");
          m.merge(
              backend ? "PostgreSQL backends" : "PostgreSQL background processes",
              ticks(f),
              Long::sum);
        } catch (IOException | RuntimeException gone) {
          // why: a process may end between the listing and the read
        }
      }
    }
    return m;
  }

  private static String thread(String comm) {
    // why: /proc truncates names to 15 characters ("sluice-executor", "sluice-schedule")
    if (comm.startsWith("sluice-schedule")) return ORDER.get(0);
    if (comm.startsWith("sluice-")) return ORDER.get(1);
    if (comm.equals("main") || comm.startsWith("pool-")) return ORDER.get(2);
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM Periodic"))
      return comm.startsWith("VM") ? ORDER.get(5) : ORDER.get(3);
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) return ORDER.get(4);
    return ORDER.get(5);
  }

  /** The fields of a stat file from the command name on: [0] is the name, [1] field 3. */
  private static String[] stat(Path file) throws IOException {
    String s = Files.readString(file);
    int open = s.indexOf('(');
    int close = s.lastIndexOf(')');
    String[] rest = s.substring(close + 2).trim().split(" ");
    String[] f = new String[rest.length + 1];
    f[0] = s.substring(open + 1, close);
    System.arraycopy(rest, 0, f, 1, rest.length);
    return f;
  }

  /** utime + stime (fields 14 and 15 of proc(5)). */
  private static long ticks(String[] f) {
    return Long.parseLong(f[14 - 2]) + Long.parseLong(f[15 - 2]);
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
