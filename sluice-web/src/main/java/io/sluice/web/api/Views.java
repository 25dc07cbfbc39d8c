package io.sluice.web.api;

import io.sluice.api.Dag;
import io.sluice.api.TaskSpec;
import io.sluice.core.model.ImportError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Maps the store's records to the REST API's JSON objects, with Airflow's field names. */
final class Views {
  private Views() {}

  static Map<String, Object> importError(ImportError e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("filename", e.source());
    m.put("line", e.line());
    m.put("stack_trace", e.message());
    m.put("message", e.describe());
    m.put("timestamp", e.timestamp());
    return m;
  }

  /**
   * The DAG's tasks as the graph view needs them: ids, types, upstream lists, in topological order.
   */
  static List<Map<String, Object>> tasks(Dag dag) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String id : dag.topologicalOrder()) {
      TaskSpec t = dag.task(id);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task_id", id);
      m.put("operator", t.task() == null ? null : t.task().getClass().getSimpleName());
      m.put("upstream_task_ids", new TreeSet<>(t.upstream()));
      m.put("downstream_task_ids", new TreeSet<>(dag.downstream(id)));
      m.put("trigger_rule", t.triggerRule() == null ? null : t.triggerRule().name().toLowerCase());
      m.put("retries", t.retries());
      m.put("pool", t.pool());
      m.put("priority_weight", t.priorityWeight());
      out.add(m);
    }
    return out;
  }
}
