package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.ServiceTask;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.XComEntry;
import io.sluice.core.service.DagRunView;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.time.Sleeper;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs exactly one run of one DAG in this process (Airflow's {@code dags test}): on a store of its
 * own, with a {@link Engines#test() test engine} whose DAG bag holds that DAG only, so that no
 * other DAG runs and nothing outside the store is written. Service tasks ({@code stream}) are
 * refused before anything starts: they never end, and the job they supervise belongs to the
 * scheduler that runs them.
 */
public final class DagTester implements AutoCloseable {
  /** What the run does, reported as it happens. */
  public interface Listener {
    /** A task instance reached {@code state} (in try {@code tryNumber}). */
    void state(String taskId, int tryNumber, TaskState state);

    /** A line of a task's log. */
    void log(String taskId, int tryNumber, String line);
  }

  private final Dag dag;
  private final MetadataStore store;
  private final EngineLoop engine;

  /**
   * @param store the test's own store (an in-memory database), never a live metadata database
   */
  public DagTester(
      Dag dag,
      MetadataStore store,
      Clock clock,
      ConnectionResolver connections,
      EngineOptions options) {
    refuseServiceTasks(dag, dag.tasks().keySet());
    this.dag = dag;
    this.store = store;
    this.engine =
        new Engines(store, DagBag.of(clock, dag), clock, Sleeper.SYSTEM, connections, options)
            .test();
  }

  /**
   * Throws {@link IllegalArgumentException} naming the first of {@code taskIds} that is a service
   * task.
   */
  public static void refuseServiceTasks(Dag dag, Iterable<String> taskIds) {
    for (String id : taskIds)
      if (dag.task(id).task() instanceof ServiceTask)
        throw new IllegalArgumentException(
            "task '"
                + id
                + "' of DAG '"
                + dag.dagId()
                + "' is a service task (stream): it never ends, and its job belongs to the"
                + " scheduler that supervises it, so a test run does not start, attach to or stop"
                + " it; test the DAG's other tasks with `sluice tasks test`");
  }

  /** The engine, for its store and run service. */
  public EngineLoop engine() {
    return engine;
  }

  /**
   * Creates the test run, runs it to its end and reports every state change and log line to {@code
   * listener} as it happens; returns the finished run.
   */
  public DagRunView run(String confJson, Instant logicalDate, Listener listener)
      throws InterruptedException {
    DagRunView run = engine.runs().triggerTest(dag.dagId(), confJson, logicalDate);
    engine.start();
    Progress progress = new Progress(listener, run.runId());
    while (true) {
      DagRunView now = engine.runs().run(dag.dagId(), run.runId());
      progress.report();
      if (now.finished()) return now;
      Thread.sleep(200); // why: the store has no change notification; logs flush within 1 s
    }
  }

  /**
   * Writes the finished run, its task instances, XComs and logs to {@code target} (the metadata
   * database). The run keeps its type {@code test}, which no scheduler starts or evaluates.
   *
   * @return false when {@code target} has a run of the DAG at that logical date already
   */
  public boolean copyTo(MetadataStore target, String runId) {
    DagRun run = store.inTransaction(tx -> tx.run(dag.dagId(), runId)).orElseThrow();
    List<TaskInstance> tis = store.inTransaction(tx -> tx.taskInstances(dag.dagId(), runId));
    return target.inTransaction(
        tx -> {
          if (tx.dag(dag.dagId()).isEmpty())
            tx.upsertDag(engine.dagBag().entry(dag.dagId()).orElseThrow().record(run.queuedAt()));
          if (!tx.insertRun(run)) return false;
          tx.insertTaskInstances(tis);
          for (TaskInstance ti : tis) {
            for (int t = 1; t <= ti.tryNumber(); t++) {
              int tryNo = t;
              List<String> lines =
                  store.inTransaction(s -> s.readLog(dag.dagId(), runId, ti.taskId(), tryNo));
              if (!lines.isEmpty()) tx.appendLog(dag.dagId(), runId, ti.taskId(), tryNo, lines);
            }
            for (XComEntry x : store.inTransaction(s -> s.xcoms(dag.dagId(), runId, ti.taskId())))
              tx.putXCom(dag.dagId(), runId, ti.taskId(), x.key(), x.value());
          }
          return true;
        });
  }

  @Override
  public void close() {
    engine.close();
  }

  /** Reports what changed in the store since the last call. */
  private final class Progress {
    private final Listener listener;
    private final String runId;
    private final Map<String, TaskState> states = new HashMap<>();
    private final Map<String, Integer> printed = new HashMap<>();

    Progress(Listener listener, String runId) {
      this.listener = listener;
      this.runId = runId;
    }

    void report() {
      for (TaskInstance ti : store.inTransaction(tx -> tx.taskInstances(dag.dagId(), runId))) {
        int tryNo = Math.max(1, ti.tryNumber());
        String key = ti.taskId() + "#" + tryNo;
        List<String> lines =
            ti.tryNumber() == 0
                ? List.of()
                : store.inTransaction(tx -> tx.readLog(dag.dagId(), runId, ti.taskId(), tryNo));
        int from = printed.getOrDefault(key, 0);
        for (int i = from; i < lines.size(); i++) listener.log(ti.taskId(), tryNo, lines.get(i));
        printed.put(key, Math.max(from, lines.size()));
        TaskState was = states.put(ti.taskId(), ti.state());
        if (ti.state() != was && ti.state() != TaskState.NONE)
          listener.state(ti.taskId(), tryNo, ti.state());
      }
    }
  }
}
