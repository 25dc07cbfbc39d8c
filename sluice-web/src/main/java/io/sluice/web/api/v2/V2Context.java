package io.sluice.web.api.v2;

import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.service.DagRunService;
import io.sluice.core.store.MetadataStore;
import io.sluice.web.api.ApiException;
import java.util.ArrayList;
import java.util.List;

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

  V2Context(MetadataStore store, DagRunService runs, TaskTypeNames taskTypes) {
    this.store = store;
    this.runs = runs;
    this.taskTypes = taskTypes;
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
