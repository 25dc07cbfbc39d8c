package io.sluice.core.service;

import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The rendered template of task instances (Airflow's rendered fields), as each try recorded it when
 * it ran: the REST API's {@code rendered_fields}, the UI's "Rendered template" tab and {@code
 * sluice tasks render} all read it here.
 */
public final class RenderedFieldsService {
  private final MetadataStore store;

  public RenderedFieldsService(MetadataStore store) {
    this.store = store;
  }

  /** What the tries of a run's task instances rendered, by task id, then try number. */
  public List<RenderedFields> ofRun(String dagId, String runId) {
    return store.inTransaction(tx -> tx.renderedFields(dagId, runId));
  }

  /**
   * What each try of one task instance rendered, by try number; tries that rendered nothing are
   * absent.
   */
  public Map<Integer, Map<String, String>> tries(String dagId, String runId, String taskId) {
    Map<Integer, Map<String, String>> out = new TreeMap<>();
    for (RenderedFields r : ofRun(dagId, runId))
      if (r.taskId().equals(taskId)) out.put(r.tryNumber(), r.fields());
    return out;
  }

  /**
   * The fields of a task instance as Airflow shows them: those of its latest try that rendered (its
   * current one once it has run), empty when none did. {@code ofRun} is its run's, from {@link
   * #ofRun}.
   */
  public static Map<String, String> current(TaskInstance t, List<RenderedFields> ofRun) {
    Optional<RenderedFields> latest =
        ofRun.stream()
            .filter(r -> r.taskId().equals(t.taskId()) && r.tryNumber() <= t.tryNumber())
            .reduce((a, b) -> b.tryNumber() >= a.tryNumber() ? b : a);
    return latest.map(RenderedFields::fields).orElseGet(LinkedHashMap::new);
  }
}
