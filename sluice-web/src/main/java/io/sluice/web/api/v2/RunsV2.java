package io.sluice.web.api.v2;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.BodySchema;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Auth;
import io.sluice.web.auth.Role;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DAG runs under {@code /api/v2}: list, get, trigger, mark state, delete, clear and wait. */
final class RunsV2 {
  private static final Set<String> RANGE_FIELDS =
      Set.of("logical_date", "start_date", "end_date", "run_after", "updated_at");

  private final V2Context c;

  RunsV2(V2Context c) {
    this.c = c;
  }

  void register(RoutesConfig r) {
    String runs = V2Api.BASE + "/dags/{dag_id}/dagRuns";
    String run = runs + "/{dag_run_id}";
    r.get(runs, require(Role.VIEWER, this::list));
    r.post(runs, require(Role.OP, this::trigger));
    r.get(run, require(Role.VIEWER, ctx -> Json.send(ctx, c.runView(lookup(ctx)))));
    r.patch(run, require(Role.OP, this::patch));
    r.delete(run, require(Role.OP, this::delete));
    r.post(run + "/clear", require(Role.OP, this::clear));
    r.get(run + "/wait", require(Role.VIEWER, this::waitUntilFinished));
  }

  private DagRun lookup(Context ctx) {
    return c.run(ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
  }

  private void list(Context ctx) {
    List<String> states = multi(ctx, "state");
    List<String> types = multi(ctx, "run_type");
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Map<String, String>> notes = new java.util.HashMap<>();
    for (DagRun r : c.runs(ctx.pathParam("dag_id"), V2Context.ALL)) {
      if (!states.isEmpty() && !states.contains(r.state().dbValue())) continue;
      if (!types.isEmpty() && !types.contains(r.runType().dbValue())) continue;
      Map<String, String> dagNotes = notes.computeIfAbsent(r.dagId(), d -> c.notes.runs(d, null));
      Map<String, Object> v = V2Context.runView(r, dagNotes);
      if (inRanges(ctx, v)) rows.add(v);
    }
    Page.send(ctx, "dag_runs", rows, "run_after");
  }

  static List<String> multi(Context ctx, String name) {
    List<String> out = new ArrayList<>();
    for (String v : ctx.queryParams(name))
      for (String s : v.split(",")) if (!s.isBlank()) out.add(s.trim());
    return out;
  }

  /** Airflow's {@code <field>_gte|_gt|_lte|_lt} filters on date-time fields. */
  static boolean inRanges(Context ctx, Map<String, Object> row) {
    for (String f : RANGE_FIELDS) {
      if (!row.containsKey(f)) continue;
      Instant v = (Instant) row.get(f);
      for (String op : List.of("gte", "gt", "lte", "lt")) {
        Instant bound = instant(ctx.queryParam(f + "_" + op), f + "_" + op);
        if (bound == null) continue;
        if (v == null) return false;
        int cmp = v.compareTo(bound);
        boolean ok =
            switch (op) {
              case "gte" -> cmp >= 0;
              case "gt" -> cmp > 0;
              case "lte" -> cmp <= 0;
              default -> cmp < 0;
            };
        if (!ok) return false;
      }
    }
    return true;
  }

  static Instant instant(String s, String field) {
    if (s == null || s.isBlank()) return null;
    try {
      return OffsetDateTime.parse(s.trim().replace(' ', '+')).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiException(422, "'" + field + "' must be an ISO-8601 date-time with an offset");
    }
  }

  private void trigger(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    c.dag(dagId);
    BodySchema.Body b = V2Bodies.TRIGGER.read(ctx);
    JsonNode conf = b.node("conf");
    Instant logical = b.instant("logical_date");
    String runId = b.string("dag_run_id");
    if (runId != null && c.store.inTransaction(tx -> tx.run(dagId, runId)).isPresent())
      throw new ApiException(
          409, "A DagRun with dag_id `" + dagId + "` and run_id `" + runId + "` already exists");
    String created =
        c.runs.trigger(dagId, runId, conf == null ? "{}" : Json.write(conf), logical).runId();
    String note = b.string("note");
    if (note != null) c.notes.setRun(dagId, created, note, Auth.principal(ctx).username());
    Json.send(ctx, c.runView(c.run(dagId, created)));
  }

  private void patch(Context ctx) {
    DagRun r = lookup(ctx);
    JsonNode body = V2Bodies.RUN_PATCH.read(ctx).json();
    UpdateMask mask = UpdateMask.of(ctx, body, Set.of("state", "note"));
    if (mask.has("note"))
      c.notes.setRun(r.dagId(), r.runId(), Json.text(body, "note"), Auth.principal(ctx).username());
    if (mask.has("state")) {
      String s = Json.text(body, "state");
      if (s == null || !Set.of("queued", "success", "failed").contains(s))
        throw new ApiException(422, "'state' must be one of queued, success, failed");
      c.runs.markRun(r.dagId(), r.runId(), DagRunState.valueOf(s.toUpperCase()));
    }
    Json.send(ctx, c.runView(lookup(ctx)));
  }

  private void delete(Context ctx) {
    DagRun r = lookup(ctx);
    if (r.state() == DagRunState.RUNNING)
      throw ApiException.badRequest(
          "The DagRun `" + r.runId() + "` is running; mark it failed before deleting it");
    c.runs.deleteRun(r.dagId(), r.runId());
    ctx.status(204);
  }

  private void clear(Context ctx) {
    DagRun r = lookup(ctx);
    JsonNode body = V2Bodies.RUN_CLEAR.read(ctx).json();
    boolean dryRun = body.path("dry_run").asBoolean(true);
    boolean onlyFailed = body.path("only_failed").asBoolean(false);
    List<TaskInstance> selected = new ArrayList<>();
    for (TaskInstance t : c.store.inTransaction(tx -> tx.taskInstances(r.dagId(), r.runId())))
      if (!onlyFailed || failed(t.state())) selected.add(t);
    if (dryRun) {
      List<Map<String, Object>> rows = new ArrayList<>();
      Map<String, String> notes = c.notes.taskInstances(r.dagId(), r.runId());
      var rendered = c.rendered.ofRun(r.dagId(), r.runId());
      for (TaskInstance t : selected) rows.add(c.taskInstanceView(t, r, notes, rendered));
      Json.send(ctx, Map.of("task_instances", rows, "total_entries", rows.size()));
      return;
    }
    Set<String> ids = new LinkedHashSet<>();
    for (TaskInstance t : selected) ids.add(t.taskId());
    // why: an empty set clears every task; with only_failed and none failed, nothing is cleared
    if (!ids.isEmpty()) c.runs.clear(r.dagId(), r.runId(), ids, false);
    Json.send(ctx, c.runView(lookup(ctx)));
  }

  static boolean failed(TaskState s) {
    return s == TaskState.FAILED || s == TaskState.UPSTREAM_FAILED;
  }

  /**
   * Streams the run's state as JSON lines every {@code interval} seconds until it finishes; the
   * last line carries the {@code return_value} XComs of the tasks named in {@code result}.
   */
  private void waitUntilFinished(Context ctx) throws IOException, InterruptedException {
    DagRun first = lookup(ctx);
    double interval;
    try {
      interval = Double.parseDouble(ctx.queryParam("interval"));
      if (!(interval > 0)) throw new NumberFormatException();
    } catch (NullPointerException | NumberFormatException e) {
      throw new ApiException(422, "'interval' (seconds, above 0) is required");
    }
    List<String> results = multi(ctx, "result");
    ctx.status(200).contentType("application/x-ndjson");
    OutputStream out = ctx.res().getOutputStream();
    long sleepMs = Math.max(50, (long) (interval * 1000));
    String last = null;
    DagRun r = first;
    while (true) {
      String state = r.state().dbValue();
      if (r.state().isFinished()) {
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("state", state);
        if (!results.isEmpty()) end.put("results", results(r, results));
        line(out, end);
        return;
      }
      if (!state.equals(last)) line(out, Map.of("state", state));
      last = state;
      Thread.sleep(sleepMs); // why: the store has no change notification for run states
      r = lookup(ctx);
    }
  }

  private Map<String, Object> results(DagRun r, List<String> taskIds) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String t : taskIds)
      c.store
          .inTransaction(tx -> tx.xcom(r.dagId(), r.runId(), t, "return_value"))
          .ifPresent(v -> m.put(t, V2Views.xcomValue(v)));
    return m;
  }

  private static void line(OutputStream out, Object value) throws IOException {
    out.write((Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
