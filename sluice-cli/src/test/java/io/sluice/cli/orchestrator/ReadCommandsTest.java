package io.sluice.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.SluiceCommand;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.ImportError;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read commands parse the folder they are given and print it; the metadata database a scheduler
 * synced keeps its DAGs and import errors.
 */
class ReadCommandsTest {
  @TempDir Path home;

  @AfterEach
  void forget() {
    for (var key :
        List.of(Settings.DATA_DIR, Settings.DAGS_FOLDER, Settings.DB_URL, Settings.DB_PORT))
      System.clearProperty("sluice.config." + key.name());
  }

  @Test
  void readCommandsOnAnotherFolderLeaveTheMetadataAsTheSchedulerWroteIt() throws Exception {
    Path live = folder("live", "live_dag", "");
    Path other = folder("other", "other_dag", "broken");
    SluiceConfig config =
        SluiceConfig.defaults()
            .with(Settings.DATA_DIR, home.resolve("data").toString())
            .with(
                Settings.DB_URL,
                "jdbc:h2:file:" + home.resolve("db/sluice") + ";MODE=PostgreSQL;AUTO_SERVER=TRUE")
            .with(Settings.DB_PORT, Integer.toString(unusedPort()))
            .with(Settings.DAGS_FOLDER, live.toString());
    try (Orchestrator o = Orchestrator.scheduling(config)) {
      o.scheduler().syncDags();
      o.runs.setPaused("live_dag", true);
    }
    List<DagRecord> dagsBefore = dags(config);
    List<ImportError> errorsBefore = importErrors(config);
    assertThat(dagsBefore).extracting(DagRecord::dagId).contains("live_dag");
    SluiceConfig.publish(config.with(Settings.DAGS_FOLDER, other.toString()));

    assertThat(run("dags", "list")).contains("other_dag").doesNotContain("live_dag");
    assertThat(run("dags", "list-import-errors")).contains("broken.yaml");
    assertThat(run("dags", "show", "other_dag")).contains("digraph \"other_dag\"");
    assertThat(run("tasks", "list", "other_dag")).contains("only_task");

    assertThat(dags(config)).isEqualTo(dagsBefore);
    assertThat(importErrors(config)).isEqualTo(errorsBefore);

    SluiceConfig.publish(config);
    assertThat(run("dags", "list", "-o", "json"))
        .containsPattern(
            "\"dag_id\" : \"live_dag\",\\s+\"fileloc\" : \"[^\"]*\",\\s+\"is_paused\" : true");
  }

  private Path folder(String name, String dagId, String broken) throws IOException {
    Path dir = Files.createDirectories(home.resolve(name));
    Files.writeString(
        dir.resolve(dagId + ".yaml"),
        "dag_id: " + dagId + "\ntasks:\n  - id: only_task\n    type: noop\n");
    if (!broken.isEmpty())
      Files.writeString(
          dir.resolve(broken + ".yaml"),
          "dag_id: " + broken + "\ntasks:\n  - id: a\n    type: noop\n    depends_on: [x]\n");
    return dir;
  }

  private static String run(String... args) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(SluiceCommand.execute(args)).as(String.join(" ", args)).isZero();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static List<DagRecord> dags(SluiceConfig config) {
    try (JdbcStore store = MetadataDatabases.open(config, 1)) {
      return store.inTransaction(tx -> tx.dags());
    }
  }

  private static List<ImportError> importErrors(SluiceConfig config) {
    try (JdbcStore store = MetadataDatabases.open(config, 1)) {
      return store.inTransaction(tx -> tx.importErrors());
    }
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
