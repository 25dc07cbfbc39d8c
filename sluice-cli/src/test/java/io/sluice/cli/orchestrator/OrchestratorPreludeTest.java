package io.sluice.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.DagRunState;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.model.DagRun;
import io.sluice.local.Service;
import io.sluice.local.StackListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice up}'s orchestrator readied while the stack starts: the metadata database migrated
 * and the DAGs parsed once the database is reported ready, and the scheduler composed on them.
 */
class OrchestratorPreludeTest {
  @TempDir Path home;

  @Test
  void theSchedulerRunsOnTheDatabasePreparedWhileTheStackStarted() throws Exception {
    SluiceConfig config = config("db/sluice");
    List<String> heard = new ArrayList<>();
    OrchestratorPrelude prelude = new OrchestratorPrelude(config, recording(heard));

    prelude.progress(Service.CASSANDRA, "starting");
    prelude.ready(Service.METADATA_DB, config.get(Settings.DB_URL), Duration.ofMillis(5));
    prelude.ready(Service.KAFKA, "127.0.0.1:1", Duration.ofMillis(9));

    assertThat(heard).containsExactly("cassandra starting", "metadata-db ready", "kafka ready");
    try (Orchestrator o = prelude.scheduling(config)) {
      assertThat(o.bag.entries()).extracting(e -> e.dag().dagId()).contains("live_dag");
      o.scheduler().syncDags();
      o.runs.trigger("live_dag", null, null);
      List<DagRun> runs = o.store.inTransaction(tx -> tx.runs("live_dag", 10));
      assertThat(runs).singleElement().extracting(DagRun::state).isEqualTo(DagRunState.QUEUED);
    }
  }

  @Test
  void aDatabaseThatWasNeverReportedReadyIsOpenedWhenTheSchedulerIsComposed() throws Exception {
    SluiceConfig config = config("db/sluice");
    OrchestratorPrelude prelude = new OrchestratorPrelude(config, new StackListener() {});

    try (Orchestrator o = prelude.scheduling(config)) {
      assertThat(o.bag.entries()).extracting(e -> e.dag().dagId()).contains("live_dag");
      assertThat(o.store.describe()).contains(home.resolve("db").toString());
    }
  }

  @Test
  void aDatabasePreparedUnderAnotherUrlIsClosedAndTheConfiguredOneUsed() throws Exception {
    SluiceConfig prepared = config("first/sluice");
    OrchestratorPrelude prelude = new OrchestratorPrelude(prepared, new StackListener() {});
    prelude.ready(Service.METADATA_DB, prepared.get(Settings.DB_URL), Duration.ZERO);

    SluiceConfig actual = config("second/sluice");
    try (Orchestrator o = prelude.scheduling(actual)) {
      assertThat(o.store.describe()).contains(home.resolve("second").toString());
    }
  }

  private SluiceConfig config(String db) throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("live_dag.yaml"),
        "dag_id: live_dag\ntasks:\n  - id: only_task\n    type: noop\n");
    return SluiceConfig.defaults()
        .with(Settings.DATA_DIR, home.resolve("data").toString())
        .with(Settings.DB_URL, "jdbc:h2:file:" + home.resolve(db) + ";MODE=PostgreSQL")
        .with(Settings.DAGS_FOLDER, dags.toString());
  }

  private static StackListener recording(List<String> heard) {
    return new StackListener() {
      @Override
      public void progress(Service service, String message) {
        heard.add(service.statusName() + " " + message);
      }

      @Override
      public void ready(Service service, String address, Duration took) {
        heard.add(service.statusName() + " ready");
      }
    };
  }
}
