package io.sluice.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.DagRunState;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.StoreException;
import io.sluice.store.JdbcStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rendered template fields of task instance tries on every metadata database: kept per try in
 * the order rendered, replaced when a try is recorded again, deleted with their run.
 */
public abstract class AbstractRenderedFieldsContractTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final String RUN = RunType.SCHEDULED.runId(T0);
  protected JdbcStore store;

  /** A store on an empty database. */
  protected abstract JdbcStore openStore();

  @BeforeEach
  void setUp() {
    store = openStore();
    store.reset();
    store.inTransaction(
        tx -> {
          tx.upsertDag(new DagRecord("d", false, "@daily", "", "test", true, T0));
          tx.insertRun(AbstractStoreContractTest.run("d", T0, DagRunState.RUNNING));
          tx.insertTaskInstances(
              List.of(
                  TaskInstance.create("d", RUN, "fetch", 1, 1, "default_pool", 1),
                  TaskInstance.create("d", RUN, "load", 0, 1, "default_pool", 1)));
          return null;
        });
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  static Map<String, String> fields(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  void put(String taskId, int tryNumber, Map<String, String> fields) {
    store.inTransaction(
        tx -> {
          tx.putRenderedFields(new RenderedFields("d", RUN, taskId, tryNumber, fields));
          return null;
        });
  }

  List<RenderedFields> stored() {
    return store.inTransaction(tx -> tx.renderedFields("d", RUN));
  }

  @Test
  void eachTryKeepsItsFieldsInTheOrderRendered() {
    String big = "x".repeat(100_000);
    put("fetch", 2, fields("url", "https://api/?start=2024-01-02", "sql", big));
    put("fetch", 1, fields("url", "https://api/?start=2024-01-01", "env.TOKEN", "***"));
    put("load", 1, fields("command", "echo 2024-01-01"));

    assertThat(stored())
        .containsExactly(
            new RenderedFields(
                "d",
                RUN,
                "fetch",
                1,
                fields("url", "https://api/?start=2024-01-01", "env.TOKEN", "***")),
            new RenderedFields(
                "d", RUN, "fetch", 2, fields("url", "https://api/?start=2024-01-02", "sql", big)),
            new RenderedFields("d", RUN, "load", 1, fields("command", "echo 2024-01-01")));
    assertThat(stored().get(0).fields().keySet()).containsExactly("url", "env.TOKEN");
  }

  @Test
  void recordingATryAgainReplacesItsFields() {
    put("fetch", 1, fields("url", "first", "topic", "a"));
    put("fetch", 1, fields("url", "second"));

    assertThat(stored())
        .containsExactly(new RenderedFields("d", RUN, "fetch", 1, fields("url", "second")));
  }

  @Test
  void fieldsGoWithTheirRunAndNeedTheirTaskInstance() {
    put("fetch", 1, fields("url", "u"));
    assertThatThrownBy(() -> put("gone", 1, fields("url", "u"))).isInstanceOf(StoreException.class);

    boolean deleted = store.inTransaction(tx -> tx.deleteRun("d", RUN));
    assertThat(deleted).isTrue();
    store.inTransaction(
        tx -> {
          DagRun again = AbstractStoreContractTest.run("d", T0, DagRunState.RUNNING);
          tx.insertRun(again);
          tx.insertTaskInstances(
              List.of(TaskInstance.create("d", RUN, "fetch", 1, 1, "default_pool", 1)));
          return null;
        });
    assertThat(stored()).isEmpty();
  }
}
