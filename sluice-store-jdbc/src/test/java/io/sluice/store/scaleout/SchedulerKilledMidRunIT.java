package io.sluice.store.scaleout;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.local.db.PostgresServer;
import io.sluice.store.JdbcStore;
import io.sluice.store.testkit.DebianPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * F5: a standalone scheduler process is killed with SIGKILL mid-run; a new one takes over from the
 * metadata database (Debian's PostgreSQL when installed, else the embedded one). The tasks the dead
 * process was running stop sending heartbeats, become zombies and are retried.
 *
 * <p>The size is {@code -Dsluice.f5.runs=N} runs of a 6-task DAG (default 40).
 */
class SchedulerKilledMidRunIT {
  static final Duration ZOMBIE_THRESHOLD = Duration.ofSeconds(3);
  static AutoCloseable server;
  static String url;
  static String user;
  static String password;

  final List<Process> children = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws IOException {
    if (DebianPostgres.available()) {
      PostgresServer pg = DebianPostgres.start(Map.of("max_connections", "100"));
      server = pg;
      url = pg.jdbcUrl();
      user = pg.user();
      password = pg.password();
    } else {
      System.out.println(DebianPostgres.MISSING + "; using the embedded PostgreSQL");
      EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
      server = pg;
      url = pg.getJdbcUrl("postgres", "postgres");
      user = "postgres";
      password = "postgres";
    }
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (server != null) server.close();
  }

  @AfterEach
  void stopChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
    }
  }

  /** One execution of a task try, as the task recorded it. */
  record Execution(
      String runId, String taskId, int tryNumber, long pid, Instant started, Instant ended) {
    String instance() {
      return runId + "/" + taskId;
    }
  }

  @Test
  void runsResumeAfterTheSchedulerIsKilledAndNoTaskRunsTwiceAtOnce() throws Exception {
    int runs = Integer.getInteger("sluice.f5.runs", 40);
    int tasks = runs * RecordingSchedulerMain.TASKS_PER_RUN;
    try (JdbcStore check = JdbcStore.open(url, user, password, 2)) {
      check.reset();
      sql(
          check,
          "CREATE TABLE f5_execution (id BIGSERIAL PRIMARY KEY, run_id TEXT NOT NULL,"
              + " task_id TEXT NOT NULL, try_number INT NOT NULL, pid BIGINT NOT NULL,"
              + " started_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ)");
      Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(1));
      long t0 = System.nanoTime();

      Process first = startScheduler(start, runs, 1);
      // why: generous deadlines; the test ends as soon as the condition holds
      await(
          Duration.ofSeconds(90),
          first,
          () -> count(check, "ended_at IS NOT NULL") >= tasks / 3,
          "a third of the tasks to end in the first scheduler");
      await(
          Duration.ofSeconds(30),
          first,
          () -> count(check, "ended_at IS NULL") >= 3,
          "tasks running in the first scheduler");
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Instant killedAt = dbNow(check);
      double killedAfter = (System.nanoTime() - t0) / 1e9;

      Map<String, TaskInstance> atKill = taskInstances(check);
      Set<String> succeededBeforeKill = keys(atKill, TaskState.SUCCESS);
      List<Execution> cut =
          executions(check).stream()
              .filter(e -> e.pid() == first.pid() && e.ended() == null)
              .collect(Collectors.toList());
      assertThat(succeededBeforeKill).isNotEmpty();
      assertThat(cut).isNotEmpty();
      assertThat(keys(atKill, TaskState.RUNNING))
          .containsAll(cut.stream().map(Execution::instance).collect(Collectors.toSet()));

      Process second = startScheduler(start, runs, 2);
      await(
          Duration.ofSeconds(120),
          second,
          () -> {
            List<DagRun> all = check.inTransaction(tx -> tx.runs(dagId(), Integer.MAX_VALUE));
            return all.size() == runs && all.stream().allMatch(r -> r.state().isFinished());
          },
          runs + " finished runs after the restart");
      double total = (System.nanoTime() - t0) / 1e9;

      List<DagRun> done = check.inTransaction(tx -> tx.runs(dagId(), Integer.MAX_VALUE));
      assertThat(done).hasSize(runs).allMatch(r -> r.state() == DagRunState.SUCCESS);
      Map<String, TaskInstance> end = taskInstances(check);
      assertThat(end).hasSize(tasks);
      assertThat(end.values()).allMatch(t -> t.state() == TaskState.SUCCESS);

      List<Execution> executions = executions(check);
      Map<String, List<Execution>> byInstance =
          executions.stream().collect(Collectors.groupingBy(Execution::instance));
      assertThat(byInstance).hasSize(tasks);
      // each try of each task instance ran once
      assertThat(
              executions.stream()
                  .collect(
                      Collectors.groupingBy(
                          e -> e.instance() + "#" + e.tryNumber(), Collectors.counting())))
          .allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1L));
      // no two executions of one task instance overlap; the killed process's end is the kill
      for (List<Execution> list : byInstance.values()) {
        list.sort(Comparator.comparing(Execution::started));
        for (int i = 1; i < list.size(); i++) {
          Execution before = list.get(i - 1);
          Execution after = list.get(i);
          Instant beforeEnded =
              before.ended() != null
                  ? before.ended()
                  : before.pid() == first.pid() ? killedAt : Instant.MAX;
          assertThat(after.started())
              .as(
                  "%s try %d starts after try %d ended",
                  after.instance(), after.tryNumber(), before.tryNumber())
              .isAfterOrEqualTo(beforeEnded);
        }
      }
      // what the second scheduler ran: tasks without a recorded success, never a succeeded one
      assertThat(executions)
          .filteredOn(e -> e.pid() == second.pid())
          .isNotEmpty()
          .allMatch(e -> e.ended() != null)
          .noneMatch(e -> succeededBeforeKill.contains(e.instance()));
      // the tries cut by the kill were zombies: retried as the next try in the new process
      for (Execution c : cut) {
        TaskInstance ti = end.get(c.instance());
        assertThat(ti.tryNumber()).as(c.instance()).isGreaterThan(c.tryNumber());
        assertThat(byInstance.get(c.instance()))
            .as(c.instance())
            .anyMatch(
                e -> e.pid() == second.pid() && e.tryNumber() > c.tryNumber() && e.ended() != null);
      }
      System.out.printf(
          "F5 on PostgreSQL %s: %d runs, %d tasks; killed after %.1f s with %d tasks succeeded and %d running;"
              + " all done after %.1f s; %d executions in all%n",
          serverVersion(check),
          runs,
          tasks,
          killedAfter,
          succeededBeforeKill.size(),
          cut.size(),
          total,
          executions.size());
    }
  }

  static String dagId() {
    return RecordingSchedulerMain.DAG_ID;
  }

  Process startScheduler(Instant start, int runs, int n) throws IOException {
    Path log = Paths.get("target", "f5-scheduler-" + n + ".log");
    Files.createDirectories(log.getParent());
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                RecordingSchedulerMain.class.getName(),
                url,
                user,
                password,
                start.toString(),
                String.valueOf(runs),
                ZOMBIE_THRESHOLD.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    children.add(p);
    return p;
  }

  static void await(Duration timeout, Process child, BooleanSupplier done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (!child.isAlive())
        throw new AssertionError(
            "the scheduler process exited with " + child.exitValue() + " waiting for " + what);
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(20);
    }
  }

  static Map<String, TaskInstance> taskInstances(JdbcStore store) {
    return store.inTransaction(
        tx -> {
          Map<String, TaskInstance> all = new HashMap<>();
          for (DagRun r : tx.runs(dagId(), Integer.MAX_VALUE))
            for (TaskInstance t : tx.taskInstances(dagId(), r.runId()))
              all.put(t.runId() + "/" + t.taskId(), t);
          return all;
        });
  }

  static Set<String> keys(Map<String, TaskInstance> tis, TaskState state) {
    Set<String> keys = new HashSet<>();
    tis.forEach(
        (k, t) -> {
          if (t.state() == state) keys.add(k);
        });
    return keys;
  }

  static List<Execution> executions(JdbcStore store) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT run_id, task_id, try_number, pid, started_at, ended_at FROM f5_execution")) {
      List<Execution> all = new ArrayList<>();
      while (rs.next()) {
        Timestamp ended = rs.getTimestamp(6);
        all.add(
            new Execution(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getLong(4),
                rs.getTimestamp(5).toInstant(),
                ended == null ? null : ended.toInstant()));
      }
      c.commit();
      return all;
    }
  }

  static long count(JdbcStore store, String where) {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM f5_execution WHERE " + where)) {
      rs.next();
      long n = rs.getLong(1);
      c.commit();
      return n;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static Instant dbNow(JdbcStore store) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      Instant now = rs.getTimestamp(1).toInstant();
      c.commit();
      return now;
    }
  }

  static String serverVersion(JdbcStore store) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      String version = rs.getString(1);
      c.commit();
      return version;
    }
  }

  static void sql(JdbcStore store, String statement) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(statement);
      c.commit();
    }
  }
}
