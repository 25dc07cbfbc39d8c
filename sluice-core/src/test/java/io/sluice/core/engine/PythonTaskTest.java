package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.testing.TestScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YAML DAGs with {@code type: python} tasks, run by the scheduler with {@code python3}. */
class PythonTaskTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void aPythonTasksReturnValueIsAnXComThatAShellTaskReadsThroughXcomPull(@TempDir Path dags)
      throws Exception {
    Files.writeString(
        dags.resolve("compute.py"),
        """
        def main(data_interval_start, params, run_id, **context):
            print("computing for", data_interval_start)
            return {"rows": params["n"] * 2, "from": data_interval_start, "run": run_id}
        """);
    Files.createDirectories(dags.resolve("pkg"));
    Files.writeString(dags.resolve("pkg/__init__.py"), "");
    Files.writeString(
        dags.resolve("pkg/jobs.py"), "def skip():\n    import sys\n    sys.exit(99)\n");
    Files.writeString(
        dags.resolve("xcoms.yaml"),
        """
        dag_id: xcoms
        schedule: "@daily"
        start_date: 2024-01-01
        catchup: false
        params: {n: 21}
        tasks:
          - id: compute
            type: python
            script: compute.py
            function: main
          - id: report
            type: shell
            command: "echo rows={{ ti.xcom_pull('compute').rows }} key={{ ti.xcom_pull(task_ids='compute', key='return_value')['from'] }}"
            depends_on: [compute]
          - id: optional
            type: python
            callable: pkg.jobs:skip
        """);
    try (TestScheduler<?> kit = TestScheduler.withDagsFolder(T0, dags)) {
      assertThat(importErrors(kit)).isEmpty();
      DagRun run = kit.trigger("xcoms");
      kit.advance(Duration.ofMinutes(1));
      var states = kit.states("xcoms", run.runId());
      assertThat(states)
          .containsEntry("compute", TaskState.SUCCESS)
          .containsEntry("report", TaskState.SUCCESS)
          .containsEntry("optional", TaskState.SKIPPED);
      String interval = run.dataIntervalStart().toString().replace("Z", "+00:00");
      assertThat(xcom(kit, run, "compute"))
          .isEqualTo(Map.of("rows", 42, "from", interval, "run", run.runId()));
      assertThat(xcom(kit, run, "report")).isEqualTo("rows=42 key=" + interval);
      assertThat(kit.log("xcoms", run.runId(), "compute", 1))
          .anySatisfy(l -> assertThat(l).contains("computing for " + interval));
    }
  }

  @Test
  void aFailingScriptIsRetriedAsConfiguredThenFails(@TempDir Path dags) throws Exception {
    Files.writeString(
        dags.resolve("fail.py"), "def main():\n    raise ValueError('no rows today')\n");
    Files.writeString(
        dags.resolve("failing.yaml"),
        """
        dag_id: failing
        start_date: 2024-01-01
        tasks:
          - id: compute
            type: python
            script: fail.py
            retries: 2
            retry_delay: PT1M
        """);
    try (TestScheduler<?> kit = TestScheduler.withDagsFolder(T0, dags)) {
      assertThat(importErrors(kit)).isEmpty();
      DagRun run = kit.trigger("failing");
      kit.advance(Duration.ofMinutes(5));
      var ti = kit.taskInstance("failing", run.runId(), "compute");
      assertThat(ti.state()).isEqualTo(TaskState.FAILED);
      assertThat(ti.tryNumber()).isEqualTo(3);
      assertThat(kit.run("failing", run.runId()).state()).isEqualTo(DagRunState.FAILED);
      for (int t = 1; t <= 3; t++)
        assertThat(kit.log("failing", run.runId(), "compute", t))
            .anySatisfy(l -> assertThat(l).contains("ValueError: no rows today"));
    }
  }

  @Test
  void aMissingInterpreterOrScriptIsAnImportErrorOfTheDag(@TempDir Path dags) throws Exception {
    Files.writeString(
        dags.resolve("nopython.yaml"),
        """
        dag_id: nopython
        tasks:
          - id: a
            type: python
            python: python3-not-installed
            callable: pkg.jobs:main
          - id: b
            type: noop
        """);
    Files.writeString(
        dags.resolve("noscript.yaml"),
        """
        dag_id: noscript
        tasks:
          - id: a
            type: python
            script: missing.py
        """);
    try (TestScheduler<?> kit = TestScheduler.withDagsFolder(T0, dags)) {
      assertThat(importErrors(kit))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains("nopython.yaml")
                      .contains("python interpreter 'python3-not-installed' not found"))
          .anySatisfy(
              e -> assertThat(e).contains("noscript.yaml").contains("missing.py does not exist"));
    }
  }

  private static List<String> importErrors(TestScheduler<?> kit) {
    return kit.runUntilIdle().store().inTransaction(tx -> tx.importErrors()).stream()
        .map(e -> e.source() + ": " + e.message())
        .toList();
  }

  private static Object xcom(TestScheduler<?> kit, DagRun run, String taskId) {
    String stored =
        kit.store()
            .inTransaction(tx -> tx.xcom(run.dagId(), run.runId(), taskId, "return_value"))
            .orElseThrow();
    return XComCodec.decode(stored, Object.class);
  }
}
