package io.sluice.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.Dag;
import io.sluice.api.TaskSpec;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.TaskInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Maps the store's records to the REST API's JSON objects, with Airflow's field names. */
final class Views {
  private Views() {}

  static Map<String, Object> dag(DagRecord d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", d.dagId());
    m.put("is_paused", d.paused());
    m.put("is_active", d.active());
    m.put("schedule_interval", d.schedule());
    m.put("description", d.description());
    m.put("fileloc", d.source());
    m.put("last_parsed_time", d.lastParsedAt());
    return m;
  }

  static Map<String, Object> run(DagRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", r.dagId());
    m.put("run_id", r.runId());
    m.put("dag_run_id", r.runId());
    m.put("state", r.state().dbValue());
    m.put("run_type", r.runType().dbValue());
    m.put("logical_date", r.logicalDate());
    m.put("data_interval_start", r.dataIntervalStart());
    m.put("data_interval_end", r.dataIntervalEnd());
    m.put("queued_at", r.queuedAt());
    m.put("start_date", r.startDate());
    m.put("end_date", r.endDate());
    m.put("duration", seconds(r.startDate(), r.endDate()));
    m.put("conf", conf(r.confJson()));
    return m;
  }

  static Map<String, Object> taskInstance(TaskInstance t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", t.dagId());
    m.put("run_id", t.runId());
    m.put("dag_run_id", t.runId());
    m.put("task_id", t.taskId());
    m.put("state", t.state().dbValue());
    m.put("try_number", t.tryNumber());
    m.put("max_tries", t.maxTries());
    m.put("priority_weight", t.priorityWeight());
    m.put("pool", t.pool());
    m.put("pool_slots", t.poolSlots());
    m.put("queued_when", t.queuedAt());
    m.put("start_date", t.startDate());
    m.put("end_date", t.endDate());
    m.put("duration", seconds(t.startDate(), t.endDate()));
    m.put("hostname", t.executorId());
    m.put("note", t.note());
    return m;
  }

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

  static Double seconds(java.time.Instant start, java.time.Instant end) {
    if (start == null || end == null) return null;
    return Duration.between(start, end).toNanos() / 1e9;
  }

  static JsonNode conf(String json) {
    if (json == null || json.isBlank()) return Json.MAPPER.createObjectNode();
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      return Json.MAPPER.getNodeFactory().textNode(json);
    }
  }
}
