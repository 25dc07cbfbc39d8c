package io.sluice.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dag;
import io.sluice.api.TriggerRule;
import io.sluice.core.engine.DagBag;
import io.sluice.core.tasks.TaskTypeRegistry;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlDagLoaderTest {
  final YamlDagLoader loader = new YamlDagLoader(new TaskTypeRegistry());

  Dag load(String yaml) {
    return loader.load("dags/test.yaml", new StringReader(yaml));
  }

  @Test
  void readsTheIssueExample() {
    Dag dag =
        load(
            """
            dag_id: chain
            schedule: "@daily"
            start_date: 2024-01-01
            catchup: false
            tasks:
              - id: extract
                type: shell
                command: "echo {{ ds }}"
                retries: 2
                retry_delay: PT10S
                retry_exponential_backoff: true
                max_retry_delay: PT1M
                execution_timeout: PT5M
              - id: load
                type: shell
                command: "true"
                depends_on: [extract]
                trigger_rule: all_done
                pool: db
            """);
    assertThat(dag.dagId()).isEqualTo("chain");
    assertThat(dag.schedule()).isEqualTo("@daily");
    assertThat(dag.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(dag.catchup()).isFalse();
    assertThat(dag.task("load").upstream()).containsExactly("extract");
    assertThat(dag.task("load").triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
    assertThat(dag.task("load").pool()).isEqualTo("db");
    assertThat(dag.task("extract").retries()).isEqualTo(2);
    assertThat(dag.task("extract").retryDelayAfter(3)).isEqualTo(Duration.ofSeconds(40));
    assertThat(dag.task("extract").retryDelayAfter(5)).isEqualTo(Duration.ofMinutes(1));
    assertThat(dag.task("extract").executionTimeout()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void cycleIsReportedWithFileAndLine() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    dag_id: loop
                    tasks:
                      - id: a
                        type: noop
                        depends_on: [b]
                      - id: b
                        type: noop
                        depends_on: [a]
                    """))
        .isInstanceOf(DagFileException.class)
        .hasMessageStartingWith("dags/test.yaml:")
        .hasMessageContaining("cycle")
        .satisfies(e -> assertThat(((DagFileException) e).line()).isIn(3, 6));
  }

  @Test
  void unknownDependencyNamesTaskAndLine() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    dag_id: d
                    tasks:
                      - id: a
                        type: noop
                        depends_on: [nope]
                    """))
        .hasMessage("dags/test.yaml:5: task 'a' depends on unknown task 'nope'");
  }

  @Test
  void duplicateTaskIdNamesBothLines() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    dag_id: d
                    tasks:
                      - id: a
                        type: noop
                      - id: a
                        type: noop
                    """))
        .hasMessage("dags/test.yaml:5: duplicate task id 'a' (first defined on line 3)");
  }

  @Test
  void unknownTaskTypeListsTheKnownOnes() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    dag_id: d
                    tasks:
                      - id: a
                        type: teleport
                    """))
        .hasMessageStartingWith("dags/test.yaml:4: unknown task type 'teleport'")
        .hasMessageContaining("shell");
  }

  @Test
  void badScheduleAndMissingOptionAreReported() {
    assertThatThrownBy(() -> load("dag_id: d\nschedule: '@sometimes'\ntasks: []\n"))
        .hasMessageStartingWith("dags/test.yaml:2: unknown schedule preset");
    assertThatThrownBy(() -> load("dag_id: d\ntasks:\n  - id: a\n    type: shell\n"))
        .hasMessage("dags/test.yaml:3: task 'a': task 'a' needs option 'command'");
  }

  @Test
  void brokenFileDoesNotAffectOtherDagsAndFixedFileIsReloaded(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("good.yaml"), "dag_id: good\ntasks:\n  - id: a\n    type: noop\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "dag_id: bad\ntasks:\n  - id: a\n    type: noop\n    depends_on: [x]\n");
    DagBag bag = new DagBag(dir, new TaskTypeRegistry(), Clock.systemUTC());
    assertThat(bag.refresh()).isTrue();
    assertThat(bag.dag("good")).isPresent();
    assertThat(bag.dag("bad")).isEmpty();
    assertThat(bag.importErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.source()).endsWith("bad.yaml");
              assertThat(e.line()).isEqualTo(5);
            });
    assertThat(bag.refresh()).isFalse();

    Files.writeString(
        bad, "dag_id: bad\ntasks:\n  - id: a\n    type: noop\n  - id: x\n    type: noop\n");
    Files.setLastModifiedTime(
        bad, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(bag.refresh()).isTrue();
    assertThat(bag.dag("bad")).isPresent();
    assertThat(bag.importErrors()).isEmpty();

    Files.delete(bad);
    assertThat(bag.refresh()).isTrue();
    assertThat(bag.dag("bad")).isEmpty();
    assertThat(bag.dag("good")).isPresent();
  }
}
