package io.sluice.web.api.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.Dag;
import io.sluice.api.TaskSpec;
import io.sluice.api.TaskState;
import io.sluice.core.engine.DagBag;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.XComEntry;
import io.sluice.core.schedule.NextRun;
import io.sluice.core.service.ViewJson;
import io.sluice.web.api.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/** Sluice's records as Airflow 3's API objects ({@code DAGResponse}, {@code DAGRunResponse}...). */
final class V2Views {
  private V2Views() {}

  static Map<String, Object> dag(DagRecord d, DagBag.Entry e, NextRun next, boolean importErrors) {
    Dag dag = e == null ? null : e.dag();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", d.dagId());
    m.put("dag_display_name", d.dagId());
    m.put("is_paused", d.paused());
    m.put("is_stale", !d.active());
    m.put("last_parsed_time", d.lastParsedAt());
    m.put("last_expired", null);
    m.put("bundle_name", "dags-folder");
    m.put("bundle_version", null);
    m.put("relative_fileloc", d.source());
    m.put("fileloc", d.source() == null ? "" : d.source());
    m.put("description", d.description());
    m.put("timetable_summary", d.schedule());
    m.put("timetable_description", d.schedule());
    m.put("timetable_partitioned", false);
    m.put("tags", tags(d.dagId(), dag == null ? List.of() : dag.tags()));
    m.put("max_active_tasks", dag == null ? 16 : dag.maxActiveTasks());
    m.put("max_active_runs", dag == null ? null : dag.maxActiveRuns());
    m.put("max_consecutive_failed_dag_runs", 0);
    m.put("has_task_concurrency_limits", false);
    m.put("has_import_errors", importErrors);
    m.put("next_dagrun_logical_date", next == null ? null : next.logicalDate());
    m.put("next_dagrun_data_interval_start", next == null ? null : next.interval().start());
    m.put("next_dagrun_data_interval_end", next == null ? null : next.interval().end());
    m.put("next_dagrun_run_after", next == null ? null : next.runAfter());
    m.put("owners", List.of("sluice"));
    m.put("file_token", fileToken(d.source()));
    return m;
  }

  /** {@code DAGDetailsResponse}: the DAG object and its definition's settings. */
  static Map<String, Object> dagDetails(
      DagRecord d, DagBag.Entry e, NextRun next, boolean importErrors, int activeRuns) {
    Map<String, Object> m = dag(d, e, next, importErrors);
    Dag dag = e == null ? null : e.dag();
    m.put("catchup", dag != null && dag.catchup());
    m.put("render_template_as_native_obj", false);
    m.put("concurrency", m.get("max_active_tasks"));
    m.put("start_date", dag == null ? null : dag.startDate());
    m.put("end_date", dag == null ? null : dag.endDate());
    m.put("timezone", dag == null ? "UTC" : dag.timezone().getId());
    m.put("last_parsed", d.lastParsedAt());
    m.put("params", dag == null ? Map.of() : params(dag));
    m.put("doc_md", null);
    m.put("dag_run_timeout", null);
    m.put("is_paused_upon_creation", null);
    m.put("template_search_path", null);
    m.put("default_args", null);
    m.put("owner_links", null);
    m.put("active_runs_count", activeRuns);
    return m;
  }

  /**
   * Params serialized as Airflow does: a value with a JSON schema per name. As in Airflow, a param
   * that may be left empty has {@code "null"} among its schema's types; a required one does not.
   */
  private static Map<String, Object> params(Dag dag) {
    Map<String, Object> out = new LinkedHashMap<>();
    dag.paramSpecs()
        .forEach(
            (k, spec) -> {
              Map<String, Object> schema = new LinkedHashMap<>(spec.schema());
              Object type = schema.get("type");
              if (type != null && !spec.required()) schema.put("type", List.of(type, "null"));
              Map<String, Object> p = new LinkedHashMap<>();
              p.put("__class", "airflow.sdk.definitions.param.Param");
              p.put("value", spec.defaultValue());
              p.put("description", spec.description());
              p.put("schema", schema);
              out.put(k, p);
            });
    return out;
  }

  static List<Map<String, Object>> tags(String dagId, List<String> names) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String n : names) out.add(Map.of("name", n, "dag_id", dagId, "dag_display_name", dagId));
    return out;
  }

  static String fileToken(String fileloc) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(String.valueOf(fileloc).getBytes(StandardCharsets.UTF_8));
  }

  /** When a run may start: the end of its data interval when scheduled, else its logical date. */
  static Instant runAfter(DagRun r) {
    if (r.runType() == RunType.SCHEDULED && r.dataIntervalEnd() != null) return r.dataIntervalEnd();
    return r.logicalDate() != null ? r.logicalDate() : r.queuedAt();
  }

  static Map<String, Object> run(DagRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_run_id", r.runId());
    m.put("dag_id", r.dagId());
    m.put("dag_display_name", r.dagId());
    m.put("logical_date", r.logicalDate());
    m.put("queued_at", r.queuedAt());
    m.put("start_date", r.startDate());
    m.put("end_date", r.endDate());
    m.put("duration", ViewJson.seconds(r.startDate(), r.endDate()));
    m.put("data_interval_start", r.dataIntervalStart());
    m.put("data_interval_end", r.dataIntervalEnd());
    m.put("run_after", runAfter(r));
    m.put("last_scheduling_decision", null);
    m.put("run_type", r.runType().dbValue());
    m.put("state", r.state().dbValue());
    m.put(
        "triggered_by",
        switch (r.runType()) {
          case SCHEDULED -> "timetable";
          case BACKFILL -> "backfill";
          case MANUAL -> "rest_api";
          case TEST -> "test";
        });
    m.put("triggering_user_name", null);
    m.put("conf", json(r.confJson()));
    m.put("note", null);
    m.put("dag_versions", List.of());
    m.put("bundle_version", null);
    return m;
  }

  /** A stable id for a task instance (Airflow's are UUIDs): derived from its key. */
  static String id(String dagId, String runId, String taskId) {
    return UUID.nameUUIDFromBytes(
            (dagId + "\u0000" + runId + "\u0000" + taskId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  static Map<String, Object> taskInstance(TaskInstance t, DagRun r, String operator) {
    Map<String, Object> m = tryView(t, operator);
    m.put("id", id(t.dagId(), t.runId(), t.taskId()));
    m.put("logical_date", r == null ? null : r.logicalDate());
    m.put("run_after", r == null ? t.queuedAt() : runAfter(r));
    m.put("note", t.note());
    m.put("rendered_map_index", null);
    m.put("rendered_fields", Map.of());
    return m;
  }

  /**
   * The fields a task instance and one of its tries share ({@code TaskInstanceHistoryResponse}).
   */
  static Map<String, Object> tryView(TaskInstance t, String operator) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", t.taskId());
    m.put("task_display_name", t.taskId());
    m.put("dag_id", t.dagId());
    m.put("dag_display_name", t.dagId());
    m.put("dag_run_id", t.runId());
    m.put("map_index", -1);
    m.put("start_date", t.startDate());
    m.put("end_date", t.endDate());
    m.put("duration", ViewJson.seconds(t.startDate(), t.endDate()));
    if (t.state() != TaskState.NONE) m.put("state", t.state().dbValue());
    m.put("try_number", t.tryNumber());
    m.put("max_tries", t.maxTries());
    m.put("hostname", t.executorId());
    m.put("unixname", null);
    m.put("pool", t.pool());
    m.put("pool_slots", t.poolSlots());
    m.put("queue", null);
    m.put("priority_weight", t.priorityWeight());
    m.put("operator", operator);
    m.put("operator_name", operator);
    m.put("queued_when", t.queuedAt());
    m.put("scheduled_when", null);
    m.put("pid", null);
    m.put("executor", "LocalExecutor");
    m.put("executor_config", "{}");
    return m;
  }

  static Map<String, Object> task(Dag dag, String id, String operator) {
    TaskSpec t = dag.task(id);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", id);
    m.put("task_display_name", id);
    m.put("owner", "sluice");
    m.put("start_date", dag.startDate());
    m.put("end_date", dag.endDate());
    m.put(
        "trigger_rule",
        t.triggerRule() == null ? "all_success" : t.triggerRule().name().toLowerCase());
    m.put("depends_on_past", t.dependsOnPast());
    m.put("wait_for_downstream", false);
    m.put("retries", t.retries());
    m.put("queue", null);
    m.put("pool", t.pool());
    m.put("pool_slots", t.poolSlots());
    // why: the document declares these as a $ref, where 3.0 ignores `nullable`: absent, not null
    if (t.executionTimeout() != null) m.put("execution_timeout", timeDelta(t.executionTimeout()));
    if (t.retryDelay() != null) m.put("retry_delay", timeDelta(t.retryDelay()));
    m.put("retry_exponential_backoff", t.retryExponentialBackoff() ? 2.0 : 0.0);
    m.put("priority_weight", t.priorityWeight());
    m.put("weight_rule", "downstream");
    m.put("ui_color", null);
    m.put("ui_fgcolor", null);
    m.put("template_fields", List.of());
    m.put("downstream_task_ids", new ArrayList<>(new TreeSet<>(dag.downstream(id))));
    m.put("doc_md", null);
    m.put("operator_name", operator);
    m.put("params", Map.of());
    m.put("class_ref", Map.of("class_name", operator, "module_path", "sluice"));
    m.put("is_mapped", false);
    m.put("extra_links", List.of());
    return m;
  }

  private static Map<String, Object> timeDelta(Duration d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("__type", "TimeDelta");
    m.put("days", (int) d.toDays());
    m.put("seconds", (int) (d.getSeconds() % 86_400));
    m.put("microseconds", d.getNano() / 1000);
    return m;
  }

  static Map<String, Object> xcom(XComEntry x, DagRun r, boolean withValue) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", x.key());
    m.put("timestamp", x.timestamp());
    m.put("logical_date", r.logicalDate());
    m.put("map_index", -1);
    m.put("task_id", x.taskId());
    m.put("dag_id", x.dagId());
    m.put("run_id", x.runId());
    m.put("dag_display_name", x.dagId());
    m.put("task_display_name", x.taskId());
    m.put("run_after", runAfter(r));
    if (withValue) m.put("value", xcomValue(x.value()));
    return m;
  }

  /** Stored JSON text as a tree: {@code {}} when empty, a string when it is not JSON. */
  static JsonNode json(String text) {
    if (text == null || text.isBlank()) return Json.MAPPER.createObjectNode();
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      return Json.MAPPER.getNodeFactory().textNode(text);
    }
  }

  /** The value inside a stored XCom's versioned envelope ({@code {"v":1,"value":...}}). */
  static JsonNode xcomValue(String stored) {
    JsonNode env = json(stored);
    return env.has("v") && env.has("value") ? env.get("value") : env;
  }
}
