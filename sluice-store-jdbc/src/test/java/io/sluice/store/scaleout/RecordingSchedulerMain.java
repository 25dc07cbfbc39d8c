package io.sluice.store.scaleout;

import io.sluice.api.Dag;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskRef;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.time.Sleeper;
import io.sluice.store.JdbcStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A standalone scheduler process (scheduler and local executor) for {@link
 * SchedulerKilledMidRunIT}: the {@code f5} DAG, whose every task records its execution (run, task,
 * try, process, start and end on the database's clock) in the table {@code f5_execution}.
 *
 * <p>Arguments: JDBC URL, user, password, the first logical date (ISO-8601), the number of runs,
 * the zombie threshold (ISO-8601 duration). The process ends when its standard input closes, so
 * that it never outlives the test JVM.
 */
public final class RecordingSchedulerMain {
  static final String DAG_ID = "f5";
  static final int TASKS_PER_RUN = 6;

  private RecordingSchedulerMain() {}

  /** {@code t0 >> [t1..t4] >> t5} once a minute from {@code start}, retried twice at once. */
  static Dag dag(Instant start, int runs, String url, String user, String password) {
    Dag.Builder b =
        Dag.builder(DAG_ID)
            .schedule("* * * * *")
            .startDate(start)
            .endDate(start.plus(Duration.ofMinutes(runs - 1)))
            .catchup(true)
            .maxActiveRuns(runs)
            .maxActiveTasks(1000)
            .defaultRetries(2, Duration.ZERO);
    List<TaskRef<Object>> tasks = new ArrayList<>();
    for (int i = 0; i < TASKS_PER_RUN; i++)
      tasks.add(b.task("t" + i, ctx -> record(ctx, url, user, password)));
    for (int i = 1; i < TASKS_PER_RUN - 1; i++) {
      tasks.get(0).then(tasks.get(i));
      tasks.get(i).then(tasks.get(TASKS_PER_RUN - 1));
    }
    return b.build();
  }

  private static Object record(TaskContext ctx, String url, String user, String password)
      throws SQLException, InterruptedException {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      long id;
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO f5_execution (run_id, task_id, try_number, pid, started_at)"
                  + " VALUES (?, ?, ?, ?, clock_timestamp()) RETURNING id")) {
        s.setString(1, ctx.runId());
        s.setString(2, ctx.taskId());
        s.setInt(3, ctx.tryNumber());
        s.setLong(4, ProcessHandle.current().pid());
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      Thread.sleep(ThreadLocalRandom.current().nextLong(100, 400));
      try (PreparedStatement s =
          c.prepareStatement("UPDATE f5_execution SET ended_at = clock_timestamp() WHERE id = ?")) {
        s.setLong(1, id);
        s.executeUpdate();
      }
    }
    return null;
  }

  public static void main(String[] args) throws IOException {
    String url = args[0];
    String user = args[1];
    String password = args[2];
    Instant start = Instant.parse(args[3]);
    int runs = Integer.parseInt(args[4]);
    Duration zombieThreshold = Duration.parse(args[5]);
    JdbcStore store = JdbcStore.open(url, user, password, 10);
    store.migrate();
    Clock clock = Clock.systemUTC();
    EngineLoop scheduler =
        new Engines(
                store,
                DagBag.of(clock, dag(start, runs, url, user, password)),
                clock,
                Sleeper.SYSTEM,
                ConnectionResolver.fromEnvironment(Map.of()),
                EngineOptions.defaults()
                    .withExecutorThreads(6)
                    .withTick(Duration.ofMillis(200))
                    .withHeartbeat(Duration.ofMillis(250))
                    .withZombieThreshold(zombieThreshold))
            .standalone();
    scheduler.syncDags();
    scheduler.start();
    System.out.println("scheduler " + scheduler.executorId() + " running");
    while (System.in.read() >= 0) {
      // why: only the end of input matters; it means the parent is gone
    }
    scheduler.close();
    store.close();
  }
}
