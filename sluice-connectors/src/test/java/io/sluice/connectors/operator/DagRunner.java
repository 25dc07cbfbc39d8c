package io.sluice.connectors.operator;

import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.engine.XComCodec;
import io.sluice.core.model.DagRun;
import io.sluice.core.tasks.TaskTypeRegistry;
import io.sluice.core.time.Sleeper;
import io.sluice.core.yaml.YamlDagLoader;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs one YAML DAG on the real scheduler, wall clock and in-memory metadata database, with the
 * default connections of a configuration.
 */
final class DagRunner implements AutoCloseable {
  private final JdbcStore store = MetadataDatabases.inMemory();
  private final EngineLoop scheduler;
  private final String dagId;

  DagRunner(SluiceConfig config, String yaml) {
    this(config, yaml, Map.of());
  }

  /** With {@code extra} connections beside the defaults of {@code config}. */
  DagRunner(SluiceConfig config, String yaml, Map<String, io.sluice.api.Connection> extra) {
    var dag = new YamlDagLoader(TaskTypeRegistry.load()).load("test.yaml", new StringReader(yaml));
    this.dagId = dag.dagId();
    var connections = new java.util.HashMap<>(DefaultConnections.of(config));
    connections.putAll(extra);
    scheduler =
        new Engines(
                store,
                DagBag.of(Clock.systemUTC(), dag),
                Clock.systemUTC(),
                Sleeper.SYSTEM,
                id -> Optional.ofNullable(connections.get(id)),
                EngineOptions.defaults())
            .standalone()
            .start();
  }

  /** Triggers a run and waits until it is done; returns the state of every task. */
  Map<String, TaskState> run(Duration timeout) throws InterruptedException {
    return await(scheduler.runs().trigger(dagId, "{}", null).runId(), timeout);
  }

  /** Clears every task of a finished run, so they run again, and waits until it is done. */
  Map<String, TaskState> rerun(String runId, Duration timeout) throws InterruptedException {
    scheduler.runs().clear(dagId, runId, java.util.Set.of(), true);
    return await(runId, timeout);
  }

  private Map<String, TaskState> await(String runId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      DagRun now = store.inTransaction(tx -> tx.run(dagId, runId)).orElseThrow();
      if (now.state() == DagRunState.SUCCESS || now.state() == DagRunState.FAILED) {
        return store.inTransaction(tx -> tx.taskInstances(dagId, runId)).stream()
            .collect(Collectors.toMap(ti -> ti.taskId(), ti -> ti.state()));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("run of " + dagId + " did not finish within " + timeout);
  }

  /** The XCom decoded as {@code type}, or null. */
  <T> T xcom(String runId, String taskId, String key, Class<T> type) {
    return store
        .inTransaction(tx -> tx.xcom(dagId, runId, taskId, key))
        .map(stored -> XComCodec.decode(stored, type))
        .orElse(null);
  }

  /** The XCom as JSON text, or null. */
  String xcom(String runId, String taskId, String key) {
    Object value = xcom(runId, taskId, key, Object.class);
    return value == null ? null : json(value);
  }

  String lastRunId() {
    return store.inTransaction(tx -> tx.runs(dagId, 1)).get(0).runId();
  }

  @Override
  public void close() {
    scheduler.close();
    store.close();
  }

  private static String json(Object value) {
    try {
      return XComCodec.mapper().writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
