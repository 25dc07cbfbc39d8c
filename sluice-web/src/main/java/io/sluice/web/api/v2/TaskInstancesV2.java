package io.sluice.web.api.v2;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.api.Dag;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.model.XComEntry;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.BodySchema;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Auth;
import io.sluice.web.auth.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Task instances under {@code /api/v2}: list, get, mark state, logs by try, tries, clear and XComs.
 */
final class TaskInstancesV2 {
  private static final java.util.regex.Pattern LOG_LINE =
      java.util.regex.Pattern.compile(
          "\\[(\\d{4}-\\d\\d-\\d\\dT[^\\]]+)\\] (?:(TRACE|DEBUG|INFO|WARN|ERROR) )?(.*)",
          java.util.regex.Pattern.DOTALL);
  private static final Set<String> MARKABLE = Set.of("success", "failed");

  private final V2Context c;

  TaskInstancesV2(V2Context c) {
    this.c = c;
  }

  void register(RoutesConfig r) {
    String tis = V2Api.BASE + "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances";
    String ti = tis + "/{task_id}";
    r.get(tis, require(Role.VIEWER, this::list));
    r.get(ti, require(Role.VIEWER, this::get));
    r.patch(ti, require(Role.OP, this::patch));
    r.get(ti + "/logs/{try_number}", require(Role.VIEWER, this::log));
    r.get(ti + "/tries", require(Role.VIEWER, this::tries));
    // why: Sluice-only, so under /api/v2/sluice, and under /api/v1 as the others of its document
    for (String base : List.of("/api/v1", V2Api.SLUICE))
      r.get(
          base + "/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/renderedFields",
          require(Role.VIEWER, this::renderedTries));
    r.get(ti + "/xcomEntries", require(Role.VIEWER, this::xcoms));
    r.get(ti + "/xcomEntries/{xcom_key}", require(Role.VIEWER, this::xcom));
    r.post(V2Api.BASE + "/dags/{dag_id}/clearTaskInstances", require(Role.OP, this::clear));
  }

  private Map<String, Object> view(TaskInstance t, DagRun r) {
    return c.taskInstanceView(t, r);
  }

  private void list(Context ctx) {
    List<String> states = RunsV2.multi(ctx, "state");
    List<String> taskIds = RunsV2.multi(ctx, "task_id");
    List<String> pools = RunsV2.multi(ctx, "pool");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DagRun r : c.runs(ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"))) {
      Map<String, String> notes = c.notes.taskInstances(r.dagId(), r.runId());
      List<RenderedFields> rendered = c.rendered.ofRun(r.dagId(), r.runId());
      for (TaskInstance t : c.store.inTransaction(tx -> tx.taskInstances(r.dagId(), r.runId()))) {
        Map<String, Object> v = c.taskInstanceView(t, r, notes, rendered);
        String st = (String) v.get("state");
        if (!states.isEmpty() && !states.contains(st == null ? "no_status" : st)) continue;
        if (!taskIds.isEmpty() && !taskIds.contains(t.taskId())) continue;
        if (!pools.isEmpty() && !pools.contains(t.pool())) continue;
        if (RunsV2.inRanges(ctx, v)) rows.add(v);
      }
    }
    Page.send(ctx, "task_instances", rows, "task_id");
  }

  private void get(Context ctx) {
    DagRun r = c.run(ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
    Json.send(ctx, view(c.taskInstance(r.dagId(), r.runId(), ctx.pathParam("task_id")), r));
  }

  private void patch(Context ctx) {
    DagRun r = c.run(ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
    TaskInstance t = c.taskInstance(r.dagId(), r.runId(), ctx.pathParam("task_id"));
    JsonNode body = V2Bodies.TASK_INSTANCE_PATCH.read(ctx).json();
    UpdateMask mask =
        UpdateMask.of(
            ctx,
            body,
            Set.of(
                "new_state",
                "note",
                "include_upstream",
                "include_downstream",
                "include_future",
                "include_past"));
    if (body.path("include_future").asBoolean(false) || body.path("include_past").asBoolean(false))
      throw new ApiException(422, "include_future and include_past are not supported");
    if (mask.has("note"))
      c.notes.setTaskInstance(
          r.dagId(),
          r.runId(),
          t.taskId(),
          Json.text(body, "note"),
          Auth.principal(ctx).username());
    List<Map<String, Object>> rows = new ArrayList<>();
    if (mask.has("new_state")) {
      String s = Json.text(body, "new_state");
      if (s == null || !MARKABLE.contains(s))
        throw new ApiException(422, "'new_state' must be one of " + MARKABLE);
      Set<String> ids = related(r.dagId(), Set.of(t.taskId()), body);
      for (String id : ids) {
        TaskInstance before =
            c.store.inTransaction(tx -> tx.taskInstance(r.dagId(), r.runId(), id)).orElse(null);
        if (before == null) continue;
        if (!before.state().dbValue().equals(s))
          c.runs.markTask(r.dagId(), r.runId(), id, TaskState.fromDb(s));
        rows.add(view(c.taskInstance(r.dagId(), r.runId(), id), r));
      }
    } else rows.add(view(c.taskInstance(r.dagId(), r.runId(), t.taskId()), r));
    Json.send(ctx, Map.of("task_instances", rows, "total_entries", rows.size()));
  }

  /** {@code task_ids}: task ids, or {@code [task_id, map_index]} pairs (the id is kept). */
  private static Set<String> taskIds(JsonNode ids) {
    Set<String> out = new LinkedHashSet<>();
    if (ids == null) return out;
    if (!ids.isArray() || ids.size() > 10_000)
      throw new ApiException(422, "'task_ids' must be a list of at most 10000 task ids");
    for (JsonNode n : ids) {
      JsonNode id = n.isArray() && n.size() == 2 && n.get(1).isIntegralNumber() ? n.get(0) : n;
      if (!id.isTextual() || !id.asText().matches(BodySchema.NAME))
        throw new ApiException(
            422, "'task_ids' items must be task ids (" + BodySchema.NAME_HELP + ") or [id, index]");
      out.add(id.asText());
    }
    return out;
  }

  /** The tasks plus, as the body asks, their upstream and downstream tasks. */
  private Set<String> related(String dagId, Set<String> taskIds, JsonNode body) {
    Set<String> out = new LinkedHashSet<>(taskIds);
    Dag dag = c.runs.dagBag().dag(dagId).orElse(null);
    if (dag == null) return out;
    for (String id : taskIds) {
      if (!dag.tasks().containsKey(id)) continue;
      if (body.path("include_downstream").asBoolean(false)) out.addAll(dag.allDownstream(id));
      if (body.path("include_upstream").asBoolean(false)) out.addAll(allUpstream(dag, id));
    }
    return out;
  }

  private static Set<String> allUpstream(Dag dag, String taskId) {
    Set<String> out = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(dag.task(taskId).upstream());
    while (!todo.isEmpty()) {
      String t = todo.remove(todo.size() - 1);
      if (out.add(t)) todo.addAll(dag.task(t).upstream());
    }
    return out;
  }

  private void log(Context ctx) {
    DagRun r = c.run(ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
    TaskInstance t = c.taskInstance(r.dagId(), r.runId(), ctx.pathParam("task_id"));
    int tryNo;
    try {
      tryNo = Integer.parseInt(ctx.pathParam("try_number"));
    } catch (NumberFormatException e) {
      throw new ApiException(422, "'try_number' must be an integer");
    }
    if (tryNo < 1 || tryNo > Math.max(1, t.tryNumber()))
      throw ApiException.notFound("TaskInstance " + t.taskId() + " has no try " + tryNo);
    List<String> lines =
        c.store.inTransaction(tx -> tx.readLog(r.dagId(), r.runId(), t.taskId(), tryNo));
    String accept = ctx.header("Accept");
    if (accept != null && accept.startsWith("text/plain")) {
      ctx.contentType("text/plain").result(String.join("\n", lines));
      return;
    }
    List<Map<String, Object>> content = new ArrayList<>();
    for (String l : lines) content.add(logMessage(l));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("content", content);
    m.put("continuation_token", null);
    Json.send(ctx, m);
  }

  /** A stored line ({@code [instant] LEVEL message}) as Airflow's structured log message. */
  static Map<String, Object> logMessage(String line) {
    Map<String, Object> m = new LinkedHashMap<>();
    java.util.regex.Matcher x = LOG_LINE.matcher(line);
    if (x.matches()) {
      m.put("timestamp", x.group(1));
      if (x.group(2) != null) m.put("level", x.group(2).toLowerCase(java.util.Locale.ROOT));
      m.put("event", x.group(3));
    } else m.put("event", line);
    return m;
  }

  /** One entry per try so far; earlier tries keep only what their logs show. */
  private void tries(Context ctx) {
    DagRun r = c.run(ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
    TaskInstance t = c.taskInstance(r.dagId(), r.runId(), ctx.pathParam("task_id"));
    String op = c.operator(t.dagId(), t.taskId());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int n = 1; n < t.tryNumber(); n++) {
      Map<String, Object> v = V2Views.tryView(t, op);
      v.put("try_number", n);
      v.put("state", "failed");
      v.put("start_date", null);
      v.put("end_date", null);
      v.put("duration", null);
      rows.add(v);
    }
    if (t.tryNumber() > 0) rows.add(V2Views.tryView(t, op));
    Json.send(ctx, Map.of("task_instances", rows, "total_entries", rows.size()));
  }

  /** What each try so far rendered, oldest first; a try that rendered nothing has no fields. */
  private void renderedTries(Context ctx) {
    DagRun r = c.run(ctx.pathParam("dag_id"), ctx.pathParam("run_id"));
    TaskInstance t = c.taskInstance(r.dagId(), r.runId(), ctx.pathParam("task_id"));
    Map<Integer, Map<String, String>> byTry = c.rendered.tries(r.dagId(), r.runId(), t.taskId());
    List<Map<String, Object>> tries = new ArrayList<>();
    for (int n = 1; n <= t.tryNumber(); n++) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("try_number", n);
      one.put("rendered_fields", byTry.getOrDefault(n, Map.of()));
      tries.add(one);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", t.dagId());
    m.put("dag_run_id", t.runId());
    m.put("task_id", t.taskId());
    m.put("try_number", t.tryNumber());
    m.put("tries", tries);
    Json.send(ctx, m);
  }

  private void xcoms(Context ctx) {
    String key = ctx.queryParam("xcom_key");
    String keyPattern = ctx.queryParam("xcom_key_pattern");
    List<Map<String, Object>> rows = new ArrayList<>();
    String taskId = ctx.pathParam("task_id");
    for (DagRun r : c.runs(ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"))) {
      List<TaskInstance> tis = c.store.inTransaction(tx -> tx.taskInstances(r.dagId(), r.runId()));
      for (TaskInstance t : tis) {
        if (!V2Context.ALL.equals(taskId) && !taskId.equals(t.taskId())) continue;
        for (XComEntry x : c.store.inTransaction(tx -> tx.xcoms(r.dagId(), r.runId(), t.taskId())))
          if ((key == null || key.equals(x.key())) && Page.like(x.key(), keyPattern))
            rows.add(V2Views.xcom(x, r, false));
      }
    }
    Page.send(ctx, "xcom_entries", rows, "key");
  }

  private void xcom(Context ctx) {
    DagRun r = c.run(ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
    String taskId = ctx.pathParam("task_id");
    String key = ctx.pathParam("xcom_key");
    XComEntry x =
        c.store.inTransaction(tx -> tx.xcoms(r.dagId(), r.runId(), taskId)).stream()
            .filter(e -> e.key().equals(key))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "XCom entry with key: `" + key + "` not found for task " + taskId));
    Map<String, Object> m = V2Views.xcom(x, r, true);
    if (ctx.queryParam("stringify") != null && !"false".equals(ctx.queryParam("stringify")))
      m.put("value", Json.write(V2Views.xcomValue(x.value())));
    Json.send(ctx, m);
  }

  /** {@code POST /dags/{dag_id}/clearTaskInstances}: by run or logical-date range. */
  private void clear(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    c.dag(dagId);
    BodySchema.Body b = V2Bodies.CLEAR_TASK_INSTANCES.read(ctx);
    JsonNode body = b.json();
    if (b.bool("include_future", false) || b.bool("include_past", false))
      throw new ApiException(422, "include_future and include_past are not supported");
    boolean dryRun = b.bool("dry_run", true);
    boolean onlyFailed = b.bool("only_failed", false);
    boolean onlyRunning = b.bool("only_running", false);
    Set<String> taskIds = taskIds(b.node("task_ids"));
    Set<String> wanted = taskIds.isEmpty() ? Set.of() : related(dagId, taskIds, body);
    String runId = b.string("dag_run_id");
    Instant from = b.instant("start_date");
    Instant to = b.instant("end_date");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DagRun r : c.runs(dagId, runId == null ? V2Context.ALL : runId)) {
      if (from != null && (r.logicalDate() == null || r.logicalDate().isBefore(from))) continue;
      if (to != null && (r.logicalDate() == null || r.logicalDate().isAfter(to))) continue;
      Set<String> clear = new LinkedHashSet<>();
      for (TaskInstance t : c.store.inTransaction(tx -> tx.taskInstances(dagId, r.runId()))) {
        if (!wanted.isEmpty() && !wanted.contains(t.taskId())) continue;
        if (onlyFailed && !RunsV2.failed(t.state())) continue;
        if (onlyRunning && t.state() != TaskState.RUNNING) continue;
        clear.add(t.taskId());
        rows.add(view(t, r));
      }
      if (!dryRun && !clear.isEmpty()) c.runs.clear(dagId, r.runId(), clear, false);
    }
    Json.send(ctx, Map.of("task_instances", rows, "total_entries", rows.size()));
  }
}
