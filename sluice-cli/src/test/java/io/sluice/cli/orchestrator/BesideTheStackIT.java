package io.sluice.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.SluiceProcess;
import io.sluice.cli.SluiceProcess.Result;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.RunType;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.local.simulator.ApiSimulator;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operating beside a running local stack, as a data engineer does: the CLI, in its own JVM with the
 * stack's data directory and no addresses of its own, is a client of that stack, and its read and
 * test commands leave the stack's metadata as the scheduler wrote it.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.API_SIMULATOR, Service.METADATA_DB})
class BesideTheStackIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LocalStack stack;
  @TempDir Path work;

  BesideTheStackIT(LocalStack stack) {
    this.stack = stack;
  }

  private Result sluice(Path dags, String... args) throws Exception {
    return new SluiceProcess(work.resolve("out"))
        .env("SLUICE_DATA_DIR", stack.dataDir().toString())
        .env("SLUICE_DAGS_FOLDER", dags.toString())
        .run(args);
  }

  @Test
  void ingestBesideTheStackAsksItsSimulatorForExactlyTheUsersItNeeds() throws Exception {
    long before = stack.simulator().counts(ApiSimulator.Api.RANDOM_USER).requests();
    Path none = Files.createDirectories(work.resolve("no-dags"));

    Result config = sluice(none, "config", "--output", "json");
    assertThat(config.out())
        .contains(stack.simulatorUrl() + "/api/")
        .contains("local stack (pid " + ProcessHandle.current().pid());

    Result ingest = sluice(none, "ingest", "users", "--count", "20", "--output", "json");
    assertThat(ingest.exit()).as(ingest.err()).isZero();
    JsonNode summary = JSON.readTree(ingest.out()).get(0);
    assertThat(summary.get("published").asLong()).isEqualTo(20);
    assertThat(stack.simulator().counts(ApiSimulator.Api.RANDOM_USER).requests())
        .isGreaterThan(before);

    Result consume =
        sluice(none, "topics", "consume", "users_created", "--from-beginning", "--timeout", "2");
    assertThat(consume.exit()).as(consume.err()).isZero();
    List<JsonNode> mine = new ArrayList<>();
    for (String line : consume.lines()) {
      JsonNode user = JSON.readTree(line);
      if (user.path("run_id").asText().equals(summary.get("run_id").asText())) mine.add(user);
    }
    assertThat(mine).hasSize(20);
  }

  @Test
  void readAndTestCommandsOnAnotherFolderLeaveTheLiveMetadataAlone() throws Exception {
    Path live = dagFolder("live", "live_dag", false);
    Path other = dagFolder("other", "other_dag", true);
    SluiceConfig config = stack.config().with(Settings.DAGS_FOLDER, live.toString());
    // the scheduler's sync, as a running stack's scheduler writes it
    try (Orchestrator o = Orchestrator.scheduling(config)) {
      o.scheduler().syncDags();
    }
    List<DagRecord> dags = read(config, "dags");
    List<ImportError> errors = read(config, "errors");
    assertThat(dags).extracting(DagRecord::dagId).contains("live_dag").doesNotContain("other_dag");

    Result list = sluice(other, "dags", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("other_dag").doesNotContain("live_dag");
    Result importErrors = sluice(other, "dags", "list-import-errors");
    assertThat(importErrors.out()).contains("broken.yaml");
    Result test = sluice(other, "dags", "test", "other_dag", "2024-02-01");
    assertThat(test.exit()).as(test.err()).isZero();
    assertThat(test.err()).contains("extract #1 | ").contains("extract #1 success");

    assertThat(read(config, "dags")).isEqualTo(dags);
    assertThat(read(config, "errors")).isEqualTo(errors);
    assertThat(this.<DagRun>read(config, "runs")).isEmpty();

    Result persisted = sluice(other, "dags", "test", "other_dag", "2024-02-02", "--persist");
    assertThat(persisted.exit()).as(persisted.err()).isZero();
    assertThat(this.<DagRun>read(config, "runs"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.dagId()).isEqualTo("other_dag");
              assertThat(r.runType()).isEqualTo(RunType.TEST);
            });
  }

  @SuppressWarnings("unchecked")
  private <T> List<T> read(SluiceConfig config, String what) {
    try (JdbcStore store = MetadataDatabases.open(config, 1)) {
      return (List<T>)
          store.inTransaction(
              tx ->
                  switch (what) {
                    case "dags" -> tx.dags();
                    case "errors" -> tx.importErrors();
                    default -> {
                      java.util.Set<String> ids = new java.util.TreeSet<>(Set.of("other_dag"));
                      for (DagRecord d : tx.dags()) ids.add(d.dagId());
                      List<DagRun> runs = new ArrayList<>();
                      for (String id : ids) runs.addAll(tx.runs(id, 100));
                      yield runs;
                    }
                  });
    }
  }

  private Path dagFolder(String name, String dagId, boolean broken) throws Exception {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.writeString(
        dir.resolve(dagId + ".yaml"),
        """
        dag_id: %s
        schedule: "@daily"
        start_date: 2024-01-01
        tasks:
          - id: extract
            type: shell
            command: "echo rows for {{ ds }}"
          - id: load
            type: noop
            depends_on: [extract]
        """
            .formatted(dagId));
    if (broken)
      Files.writeString(
          dir.resolve("broken.yaml"),
          "dag_id: broken\ntasks:\n  - id: a\n    type: noop\n    depends_on: [missing]\n");
    return dir;
  }
}
