package io.sluice.web.api.v2;

import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.service.DagRunService;
import io.sluice.core.service.RenderedFieldsService;
import io.sluice.core.store.MetadataStore;
import io.sluice.web.api.ApiException;
import io.sluice.web.db.Notes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every {@code /api/v2} resource works through: the store for reads, the {@link DagRunService}
 * for every change to DAGs, runs and task instances, and lookups.
 */
final class V2Context {
  /** Airflow's "every DAG" and "every run" path value. */
  static final String ALL = "~";

  final MetadataStore store;
  final DagRunService runs;
  final TaskTypeNames taskTypes;
  final Notes notes;
  final RenderedFieldsService rendered;

  V2Context(MetadataStore store, DagRunService runs, TaskTypeNames taskTypes, Notes notes) {
    this.store = store;
    this.rendered = new RenderedFieldsService(store);
    this.runs = runs;
    this.taskTypes = taskTypes;
    this.notes = notes;
  }

  /** A run as Airflow's {@code DAGRunResponse}, with its note. */
  Map<String, Object> runView(DagRun r) {
    return runView(r, notes.runs(r.dagId(), r.runId()));
  }

  /** A run, its note taken from {@code notesByRun} (the notes of its DAG's runs). */
  static Map<String, Object> runView(DagRun r, Map<String, String> notesByRun) {
    Map<String, Object> m = V2Views.run(r);
    m.put("note", notesByRun.get(r.runId()));
    return m;
  }

  /**
   * A task instance as Airflow's {@code TaskInstanceResponse}: its note is the one a user wrote
   * ({@code notesByTask}, the notes of its run's task instances) or else the engine's (why a try
   * failed). Its {@code rendered_fields} come from {@code renderedOfRun}, what its run's tries
   * rendered.
   */
  Map<String, Object> taskInstanceView(
      TaskInstance t,
      DagRun r,
      Map<String, String> notesByTask,
      List<RenderedFields> renderedOfRun) {
    Map<String, Object> m = V2Views.taskInstance(t, r, operator(t.dagId(), t.taskId()));
    String note = notesByTask.get(t.taskId());
    if (note != null) m.put("note", note);
    m.put("rendered_fields", RenderedFieldsService.current(t, renderedOfRun));
    return m;
  }

  Map<String, Object> taskInstanceView(TaskInstance t, DagRun r) {
    return taskInstanceView(
        t, r, notes.taskInstances(t.dagId(), t.runId()), rendered.ofRun(t.dagId(), t.runId()));
  }

  DagRecord dag(String dagId) {
    return store
        .inTransaction(tx -> tx.dag(dagId))
        .orElseThrow(() -> ApiException.notFound("The Dag with ID: `" + dagId + "` was not found"));
  }

  DagRun run(String dagId, String runId) {
    return store
        .inTransaction(tx -> tx.run(dagId, runId))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "The DagRun with dag_id: `"
                        + dagId
                        + "` and run_id: `"
                        + runId
                        + "` was not found"));
  }

  TaskInstance taskInstance(String dagId, String runId, String taskId) {
    return store
        .inTransaction(tx -> tx.taskInstance(dagId, runId, taskId))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "The Task Instance with dag_id: `"
                        + dagId
                        + "`, run_id: `"
                        + runId
                        + "`, task_id: `"
                        + taskId
                        + "` and map_index: `-1` was not found"));
  }

  /** The DAG ids a path's {@code dag_id} names: one (which must exist) or, for {@code ~}, all. */
  List<String> dagIds(String dagId) {
    if (!ALL.equals(dagId)) return List.of(dag(dagId).dagId());
    List<String> out = new ArrayList<>();
    for (DagRecord d : store.inTransaction(tx -> tx.dags())) out.add(d.dagId());
    return out;
  }

  /** The runs a path's {@code dag_id} and {@code dag_run_id} name, with {@code ~} for all. */
  List<DagRun> runs(String dagId, String runId) {
    List<DagRun> out = new ArrayList<>();
    for (String d : dagIds(dagId)) {
      if (!ALL.equals(runId)) {
        if (ALL.equals(dagId)) store.inTransaction(tx -> tx.run(d, runId)).ifPresent(out::add);
        else out.add(run(d, runId));
      } else out.addAll(store.inTransaction(tx -> tx.runs(d, Integer.MAX_VALUE)));
    }
    return out;
  }

  String operator(String dagId, String taskId) {
    return runs.dagBag()
        .dag(dagId)
        .filter(d -> d.tasks().containsKey(taskId))
        .map(d -> taskTypes.of(d.task(taskId).task()))
        .orElse(null);
  }
}
