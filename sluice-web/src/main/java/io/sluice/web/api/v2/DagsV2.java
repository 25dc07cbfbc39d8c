package io.sluice.web.api.v2;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.core.engine.DagBag;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.schedule.NextRun;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.DagsApi;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;

/** DAGs, their tasks and sources, and import errors under {@code /api/v2}. */
final class DagsV2 {
  private final V2Context c;

  DagsV2(V2Context c) {
    this.c = c;
  }

  void register(RoutesConfig r) {
    String dag = V2Api.BASE + "/dags/{dag_id}";
    r.get(
        V2Api.BASE + "/dags",
        require(Role.VIEWER, ctx -> Page.send(ctx, "dags", rows(ctx), "dag_id")));
    r.get(V2Api.SLUICE + "/dags", require(Role.VIEWER, this::listWithRuns));
    r.get(dag, require(Role.VIEWER, ctx -> Json.send(ctx, view(c.dag(ctx.pathParam("dag_id"))))));
    r.patch(dag, require(Role.OP, this::patch));
    r.get(dag + "/details", require(Role.VIEWER, this::details));
    r.get(dag + "/tasks", require(Role.VIEWER, this::tasks));
    r.get(dag + "/tasks/{task_id}", require(Role.VIEWER, this::task));
    r.get(V2Api.BASE + "/dagSources/{dag_id}", require(Role.VIEWER, this::source));
    r.get(V2Api.BASE + "/importErrors", require(Role.VIEWER, this::importErrors));
    r.get(V2Api.BASE + "/importErrors/{id}", require(Role.VIEWER, this::importError));
  }

  private Map<String, Object> view(DagRecord d) {
    Optional<DagBag.Entry> e = c.runs.dagBag().entry(d.dagId());
    NextRun next = DagsApi.nextRun(c.store, c.runs, d, e.orElse(null)).orElse(null);
    return V2Views.dag(d, e.orElse(null), next, hasImportErrors(d));
  }

  private boolean hasImportErrors(DagRecord d) {
    if (d.source() == null) return false;
    return c.store.inTransaction(tx -> tx.importErrors()).stream()
        .anyMatch(e -> d.source().equals(e.source()));
  }

  /** The DAGs the list's filters match, unpaged. */
  private List<Map<String, Object>> rows(Context ctx) {
    List<String> tags = new ArrayList<>();
    for (String t : ctx.queryParams("tags")) tags.addAll(List.of(t.split(",")));
    boolean all = "all".equals(ctx.queryParam("tags_match_mode"));
    String pattern = ctx.queryParam("dag_id_pattern");
    String paused = ctx.queryParam("paused");
    boolean excludeStale = !"false".equals(ctx.queryParam("exclude_stale"));
    String lastState = ctx.queryParam("last_dag_run_state");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DagRecord d : c.store.inTransaction(tx -> tx.dags())) {
      if (excludeStale && !d.active()) continue;
      if (paused != null && Boolean.parseBoolean(paused) != d.paused()) continue;
      if (!Page.like(d.dagId(), pattern)) continue;
      Map<String, Object> v = view(d);
      if (!tags.isEmpty() && !matchesTags(v, tags, all)) continue;
      if (lastState != null && !lastState.equals(lastRunState(d.dagId()))) continue;
      rows.add(v);
    }
    return rows;
  }

  /**
   * {@code /api/v2/sluice/dags}: a page of {@code /api/v2/dags}, each DAG with its newest runs
   * ({@code dag_runs_limit}, 25 unless given, at most 100) as {@code recent_dag_runs}, so that a
   * list of DAGs with their runs' states is one request.
   */
  private void listWithRuns(Context ctx) {
    int runsLimit = Math.min(100, Page.intParam(ctx, "dag_runs_limit", 25, 0));
    Map<String, Object> page = Page.of(ctx, "dags", rows(ctx), "dag_id");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> dags = (List<Map<String, Object>>) page.get("dags");
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> d : dags) {
      String dagId = (String) d.get("dag_id");
      Map<String, String> notes = c.notes.runs(dagId, null);
      List<Map<String, Object>> runs = new ArrayList<>();
      for (DagRun r : c.store.inTransaction(tx -> tx.runs(dagId, runsLimit)))
        runs.add(V2Context.runView(r, notes));
      Map<String, Object> withRuns = new LinkedHashMap<>(d);
      withRuns.put("recent_dag_runs", runs);
      out.add(withRuns);
    }
    page.put("dags", out);
    Json.send(ctx, page);
  }

  @SuppressWarnings("unchecked")
  private static boolean matchesTags(Map<String, Object> dag, List<String> wanted, boolean all) {
    Set<String> have = new java.util.HashSet<>();
    for (Map<String, Object> t : (List<Map<String, Object>>) dag.get("tags"))
      have.add((String) t.get("name"));
    return all ? have.containsAll(wanted) : wanted.stream().anyMatch(have::contains);
  }

  private String lastRunState(String dagId) {
    var runs = c.store.inTransaction(tx -> tx.runs(dagId, 1));
    return runs.isEmpty() ? null : runs.get(0).state().dbValue();
  }

  private void patch(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    c.dag(dagId);
    JsonNode body = V2Bodies.DAG_PATCH.read(ctx).json();
    UpdateMask mask = UpdateMask.of(ctx, body, Set.of("is_paused"));
    if (mask.has("is_paused")) {
      JsonNode p = body.get("is_paused");
      if (p == null || !p.isBoolean()) throw new ApiException(422, "'is_paused' must be a boolean");
      c.runs.setPaused(dagId, p.asBoolean());
    }
    Json.send(ctx, view(c.dag(dagId)));
  }

  private void details(Context ctx) {
    DagRecord d = c.dag(ctx.pathParam("dag_id"));
    Optional<DagBag.Entry> e = c.runs.dagBag().entry(d.dagId());
    NextRun next = DagsApi.nextRun(c.store, c.runs, d, e.orElse(null)).orElse(null);
    int active =
        c.store.inTransaction(
            tx ->
                tx.countRuns(d.dagId(), DagRunState.RUNNING)
                    + tx.countRuns(d.dagId(), DagRunState.QUEUED));
    Json.send(ctx, V2Views.dagDetails(d, e.orElse(null), next, hasImportErrors(d), active));
  }

  private Dag definition(String dagId) {
    c.dag(dagId);
    return c.runs
        .dagBag()
        .dag(dagId)
        .orElseThrow(
            () -> ApiException.notFound("The Dag with ID: `" + dagId + "` has no definition"));
  }

  private void tasks(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    Dag dag = definition(dagId);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String id : dag.topologicalOrder()) rows.add(V2Views.task(dag, id, c.operator(dagId, id)));
    if (ctx.queryParam("order_by") != null) rows = Page.sorted(ctx, rows, "task_id");
    Json.send(ctx, Map.of("tasks", rows, "total_entries", rows.size()));
  }

  private void task(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String taskId = ctx.pathParam("task_id");
    Dag dag = definition(dagId);
    if (!dag.tasks().containsKey(taskId))
      throw ApiException.notFound("Task with id " + taskId + " not found");
    Json.send(ctx, V2Views.task(dag, taskId, c.operator(dagId, taskId)));
  }

  private void source(Context ctx) {
    DagRecord d = c.dag(ctx.pathParam("dag_id"));
    String content = null;
    if (d.source() != null) {
      try {
        Path p = Path.of(d.source());
        if (Files.isRegularFile(p)) content = Files.readString(p);
      } catch (IOException | RuntimeException e) {
        content = null;
      }
    }
    if (content == null)
      content = "# '" + d.dagId() + "' is defined in code: " + String.valueOf(d.source());
    String accept = ctx.header("Accept");
    if (accept != null && accept.startsWith("text/plain")) {
      ctx.contentType("text/plain").result(content);
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("content", content);
    m.put("dag_id", d.dagId());
    m.put("version_number", null);
    m.put("dag_display_name", d.dagId());
    Json.send(ctx, m);
  }

  private static int importErrorId(ImportError e) {
    CRC32 crc = new CRC32();
    crc.update((e.source() + "\u0000" + e.line() + "\u0000" + e.message()).getBytes());
    // why: Airflow's ids are integers; a checksum of the error keeps one id per error
    return (int) (crc.getValue() & 0x7fffffff);
  }

  private static Map<String, Object> importErrorView(ImportError e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("import_error_id", importErrorId(e));
    m.put("timestamp", e.timestamp());
    m.put("filename", e.source());
    m.put("bundle_name", "dags-folder");
    m.put("stack_trace", e.describe());
    return m;
  }

  private void importErrors(Context ctx) {
    String pattern = ctx.queryParam("filename_pattern");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ImportError e : c.store.inTransaction(tx -> tx.importErrors()))
      if (Page.like(e.source(), pattern)) rows.add(importErrorView(e));
    Page.send(ctx, "import_errors", rows, "import_error_id");
  }

  private void importError(Context ctx) {
    String id = ctx.pathParam("id");
    for (ImportError e : c.store.inTransaction(tx -> tx.importErrors()))
      if (Integer.toString(importErrorId(e)).equals(id)) {
        Json.send(ctx, importErrorView(e));
        return;
      }
    throw ApiException.notFound("The ImportError with import_error_id: `" + id + "` was not found");
  }
}
