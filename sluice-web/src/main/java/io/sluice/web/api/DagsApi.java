package io.sluice.web.api;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.engine.DagBag;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.schedule.NextRun;
import io.sluice.core.service.DagRunService;
import io.sluice.core.service.DagRunView;
import io.sluice.core.service.DagService;
import io.sluice.core.service.DagView;
import io.sluice.core.service.TaskInstanceView;
import io.sluice.core.store.MetadataStore;
import io.sluice.web.auth.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DAGs, DAG runs, task instances, task logs and import errors under {@code /api/v1}. Reads go to
 * the metadata store; triggers, clears, pauses, marks and deletes go through the {@link
 * DagRunService}, the same service the CLI calls, and answer with its view records.
 */
public final class DagsApi {
  private static final int MAX_LIMIT = 1000;
  private static final String ID = "[A-Za-z0-9_.\\-]{1,250}";
  private static final String ID_HELP = "1 to 250 letters, digits or _ . -";
  private static final BodySchema DAG_PATCH =
      BodySchema.of(BodySchema.bool("is_paused").required());
  private static final BodySchema TRIGGER =
      BodySchema.of(BodySchema.object("conf", 1_000_000), BodySchema.dateTime("logical_date"));
  private static final BodySchema CLEAR_RUN =
      BodySchema.of(
          BodySchema.strings("task_ids", 10_000, 250).pattern(ID, ID_HELP),
          BodySchema.bool("include_downstream"));
  private static final BodySchema MARK =
      BodySchema.of(BodySchema.string("state", 16).oneOf("success", "failed").required());
  private static final BodySchema CLEAR_TASK = BodySchema.of(BodySchema.bool("include_downstream"));
  private final MetadataStore store;
  private final DagRunService runs;

  public DagsApi(MetadataStore store, DagRunService runs) {
    this.store = store;
    this.runs = runs;
  }

  public void register(RoutesConfig r) {
    String dag = "/api/v1/dags/{dag_id}";
    String run = dag + "/dagRuns/{run_id}";
    String ti = run + "/taskInstances/{task_id}";
    r.get("/api/v1/dags", require(Role.VIEWER, this::listDags));
    r.get(dag, require(Role.VIEWER, this::getDag));
    r.patch(dag, require(Role.OP, this::patchDag));
    r.post(dag + "/pause", require(Role.OP, ctx -> setPaused(ctx, true)));
    r.post(dag + "/unpause", require(Role.OP, ctx -> setPaused(ctx, false)));
    r.get(dag + "/dagRuns", require(Role.VIEWER, this::listRuns));
    r.post(dag + "/dagRuns", require(Role.OP, this::trigger));
    r.get(run, require(Role.VIEWER, this::getRun));
    r.patch(run, require(Role.OP, this::patchRun));
    r.delete(run, require(Role.OP, this::deleteRun));
    r.post(run + "/clear", require(Role.OP, this::clearRun));
    r.get(run + "/taskInstances", require(Role.VIEWER, this::listTaskInstances));
    r.get(ti, require(Role.VIEWER, this::getTaskInstance));
    r.patch(ti, require(Role.OP, this::patchTaskInstance));
    r.post(ti + "/clear", require(Role.OP, this::clearTask));
    r.get(ti + "/logs/{try_number}", require(Role.VIEWER, this::log));
    r.get("/api/v1/importErrors", require(Role.VIEWER, this::importErrors));
    r.get("/api/v1/pools", require(Role.VIEWER, this::pools));
    registerSluiceOnly(r, "/api/v1");
  }

  /**
   * Registers the routes only Sluice has (no Airflow 3 equivalent) under {@code base}: {@code
   * /api/v1} and {@code /api/v2/sluice}.
   */
  public void registerSluiceOnly(RoutesConfig r, String base) {
    String dag = base + "/dags/{dag_id}";
    r.get(dag + "/grid", require(Role.VIEWER, this::grid));
    r.get(
        dag + "/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}/stream",
        require(Role.VIEWER, this::streamLog));
  }

  private DagRecord dagRecord(String dagId) {
    return store
        .inTransaction(tx -> tx.dag(dagId))
        .orElseThrow(() -> ApiException.notFound("DAG '" + dagId + "' not found"));
  }

  private DagRun dagRun(String dagId, String runId) {
    return store
        .inTransaction(tx -> tx.run(dagId, runId))
        .orElseThrow(
            () -> ApiException.notFound("DAG run '" + runId + "' of '" + dagId + "' not found"));
  }

  private static int limit(Context ctx, int dflt) {
    String l = ctx.queryParam("limit");
    if (l == null) return dflt;
    try {
      int n = Integer.parseInt(l);
      if (n < 1) throw new NumberFormatException();
      return Math.min(n, MAX_LIMIT);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'limit' must be a positive integer");
    }
  }

  private Map<String, Object> dagSummary(DagRecord d) {
    Map<String, Object> m = DagView.of(d).toMap();
    Optional<DagBag.Entry> e = runs.dagBag().entry(d.dagId());
    m.put("tags", e.map(x -> x.dag().tags()).orElse(List.of()));
    m.put("max_active_runs", e.map(x -> x.dag().maxActiveRuns()).orElse(null));
    List<DagRun> recent = store.inTransaction(tx -> tx.runs(d.dagId(), 1));
    m.put("last_run", recent.isEmpty() ? null : DagRunView.of(recent.get(0)).toMap());
    m.put("next_dagrun", nextRun(d, e.orElse(null)).map(NextRun::logicalDate).orElse(null));
    m.put(
        "next_dagrun_create_after", nextRun(d, e.orElse(null)).map(NextRun::runAfter).orElse(null));
    m.put("has_definition", e.isPresent());
    return m;
  }

  private Optional<NextRun> nextRun(DagRecord d, DagBag.Entry e) {
    return nextRun(store, runs, d, e);
  }

  /** The next scheduled run of a DAG, or empty when paused, manual-only or not loaded. */
  public static Optional<NextRun> nextRun(
      MetadataStore store, DagRunService runs, DagRecord d, DagBag.Entry e) {
    if (d.paused()) return Optional.empty();
    try {
      return DagService.upcoming(store, runs.clock(), e, 1).stream().findFirst();
    } catch (RuntimeException ex) {
      return Optional.empty();
    }
  }

  private void listDags(Context ctx) {
    List<Map<String, Object>> dags = new ArrayList<>();
    String onlyActive = ctx.queryParam("only_active");
    int limit = limit(ctx, MAX_LIMIT);
    for (DagRecord d : store.inTransaction(tx -> tx.dags())) {
      if (!"false".equals(onlyActive) && !d.active()) continue;
      if (dags.size() >= limit) break;
      dags.add(dagSummary(d));
    }
    Json.send(ctx, Map.of("dags", dags, "total_entries", dags.size()));
  }

  private void getDag(Context ctx) {
    DagRecord d = dagRecord(ctx.pathParam("dag_id"));
    Map<String, Object> m = dagSummary(d);
    runs.dagBag()
        .dag(d.dagId())
        .ifPresent(
            dag -> {
              m.put("tasks", Views.tasks(dag));
              m.put("start_date", dag.startDate());
              m.put("end_date", dag.endDate());
              m.put("catchup", dag.catchup());
              m.put("timezone", dag.timezone() == null ? null : dag.timezone().getId());
              m.put("params", dag.params());
            });
    Json.send(ctx, m);
  }

  private void patchDag(Context ctx) {
    setPaused(ctx, DAG_PATCH.read(ctx).bool("is_paused", false));
  }

  private void setPaused(Context ctx, boolean paused) {
    String dagId = ctx.pathParam("dag_id");
    runs.setPaused(dagId, paused);
    Json.send(ctx, dagSummary(dagRecord(dagId)));
  }

  private void listRuns(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    dagRecord(dagId);
    String state = ctx.queryParam("state");
    DagRunState only;
    try {
      only = state == null ? null : DagRunState.fromDb(state);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("unknown run state '" + state + "'");
    }
    List<Map<String, Object>> out =
        runs.runs(dagId, only, limit(ctx, 100)).stream().map(DagRunView::toMap).toList();
    Json.send(ctx, Map.of("dag_runs", out, "total_entries", out.size()));
  }

  private void trigger(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    BodySchema.Body body = TRIGGER.read(ctx);
    JsonNode conf = body.node("conf");
    Instant logical = body.instant("logical_date");
    DagRunView run =
        runs.trigger(dagId, conf == null || conf.isNull() ? "{}" : Json.write(conf), logical);
    ctx.status(200);
    Json.send(ctx, run.toMap());
  }

  private void getRun(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    Map<String, Object> m = runs.run(dagId, runId).toMap();
    m.put(
        "task_instances",
        runs.taskInstances(dagId, runId).stream().map(TaskInstanceView::toMap).toList());
    Json.send(ctx, m);
  }

  /** Airflow's "mark run as": {@code {"state": "success" | "failed"}}. */
  private void patchRun(Context ctx) {
    DagRunState to = DagRunState.fromDb(MARK.read(ctx).string("state"));
    Json.send(ctx, runs.markRun(ctx.pathParam("dag_id"), ctx.pathParam("run_id"), to).toMap());
  }

  private void deleteRun(Context ctx) {
    runs.deleteRun(ctx.pathParam("dag_id"), ctx.pathParam("run_id"));
    ctx.status(204);
  }

  /** Airflow's "mark task as": {@code {"state": "success" | "failed"}}. */
  private void patchTaskInstance(Context ctx) {
    TaskState to = TaskState.fromDb(MARK.read(ctx).string("state"));
    Json.send(
        ctx,
        runs.markTask(
                ctx.pathParam("dag_id"), ctx.pathParam("run_id"), ctx.pathParam("task_id"), to)
            .toMap());
  }

  private void clearRun(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    dagRun(dagId, runId);
    BodySchema.Body body = CLEAR_RUN.read(ctx);
    Set<String> tasks = new LinkedHashSet<>();
    List<String> ids = body.strings("task_ids");
    if (ids != null) {
      if (ids.isEmpty()) throw ApiException.badRequest("'task_ids' is empty; omit it to clear all");
      tasks.addAll(ids);
      Set<String> known = new LinkedHashSet<>();
      store.inTransaction(tx -> tx.taskInstances(dagId, runId)).forEach(t -> known.add(t.taskId()));
      for (String t : tasks)
        if (!known.contains(t))
          throw ApiException.badRequest("'task_ids': run '" + runId + "' has no task '" + t + "'");
    }
    boolean downstream = body.bool("include_downstream", false);
    int n = runs.clear(dagId, runId, tasks, downstream);
    Json.send(ctx, Map.of("cleared", n, "dag_run", runs.run(dagId, runId).toMap()));
  }

  private void clearTask(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    String taskId = ctx.pathParam("task_id");
    taskInstance(dagId, runId, taskId);
    boolean downstream = CLEAR_TASK.read(ctx).bool("include_downstream", false);
    int n = runs.clear(dagId, runId, Set.of(taskId), downstream);
    Json.send(ctx, Map.of("cleared", n));
  }

  private TaskInstance taskInstance(String dagId, String runId, String taskId) {
    return store
        .inTransaction(tx -> tx.taskInstance(dagId, runId, taskId))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "task instance '" + taskId + "' of run '" + runId + "' not found"));
  }

  private void listTaskInstances(Context ctx) {
    List<Map<String, Object>> out =
        runs.taskInstances(ctx.pathParam("dag_id"), ctx.pathParam("run_id")).stream()
            .map(TaskInstanceView::toMap)
            .toList();
    Json.send(ctx, Map.of("task_instances", out, "total_entries", out.size()));
  }

  private void getTaskInstance(Context ctx) {
    Json.send(
        ctx,
        runs.taskInstance(
                ctx.pathParam("dag_id"), ctx.pathParam("run_id"), ctx.pathParam("task_id"))
            .toMap());
  }

  private int tryNumber(Context ctx, TaskInstance t) {
    String s = ctx.pathParam("try_number");
    if (s.equals("latest")) return Math.max(1, t.tryNumber());
    try {
      int n = Integer.parseInt(s);
      if (n < 1) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("try_number must be a positive integer or 'latest'");
    }
  }

  /**
   * One try's log. {@code offset} skips lines already seen; {@code tail=N} returns the last N;
   * {@code wait=S} long-polls up to S seconds for new lines while the task is still running.
   */
  private void log(Context ctx) throws InterruptedException {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    String taskId = ctx.pathParam("task_id");
    TaskInstance t = taskInstance(dagId, runId, taskId);
    int tryNo = tryNumber(ctx, t);
    int offset = intParam(ctx, "offset", 0);
    int waitSeconds = Math.min(30, intParam(ctx, "wait", 0));
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    List<String> lines = store.inTransaction(tx -> tx.readLog(dagId, runId, taskId, tryNo));
    boolean running = !taskInstance(dagId, runId, taskId).state().isFinished();
    while (lines.size() <= offset && running && System.nanoTime() < deadline) {
      Thread.sleep(200); // why: the store has no change notification for log lines
      lines = store.inTransaction(tx -> tx.readLog(dagId, runId, taskId, tryNo));
      running = !taskInstance(dagId, runId, taskId).state().isFinished();
    }
    String tailParam = ctx.queryParam("tail");
    int from = Math.min(offset, lines.size());
    if (tailParam != null) from = Math.max(from, lines.size() - intParam(ctx, "tail", 100));
    List<String> page = lines.subList(from, lines.size());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", dagId);
    m.put("run_id", runId);
    m.put("task_id", taskId);
    m.put("try_number", tryNo);
    m.put("offset", from);
    m.put("next_offset", lines.size());
    m.put("lines", page);
    m.put("content", String.join("\n", page));
    m.put("finished", !running);
    m.put("state", taskInstance(dagId, runId, taskId).state().dbValue());
    Json.send(ctx, m);
  }

  /** Server-sent events: one {@code line} event per log line, then {@code end} with the state. */
  private void streamLog(Context ctx) throws Exception {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    String taskId = ctx.pathParam("task_id");
    TaskInstance first = taskInstance(dagId, runId, taskId);
    int tryNo = tryNumber(ctx, first);
    new io.javalin.http.sse.SseHandler(
            0,
            client -> {
              int sent = 0;
              long idleUntil = System.nanoTime() + 3_600_000_000_000L;
              while (!client.terminated() && System.nanoTime() < idleUntil) {
                List<String> lines =
                    store.inTransaction(tx -> tx.readLog(dagId, runId, taskId, tryNo));
                for (; sent < lines.size(); sent++)
                  client.sendEvent("line", lines.get(sent), Integer.toString(sent));
                TaskState st = taskInstance(dagId, runId, taskId).state();
                boolean finishedTry =
                    st.isFinished() || taskInstance(dagId, runId, taskId).tryNumber() > tryNo;
                if (finishedTry) {
                  List<String> rest =
                      store.inTransaction(tx -> tx.readLog(dagId, runId, taskId, tryNo));
                  for (; sent < rest.size(); sent++)
                    client.sendEvent("line", rest.get(sent), Integer.toString(sent));
                  client.sendEvent("end", Json.write(Map.of("state", st.dbValue())));
                  break;
                }
                try {
                  Thread.sleep(250); // why: the store has no change notification for log lines
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  break;
                }
              }
              client.close();
            })
        .handle(ctx);
  }

  private static int intParam(Context ctx, String name, int dflt) {
    String s = ctx.queryParam(name);
    if (s == null) return dflt;
    try {
      int n = Integer.parseInt(s);
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be a non-negative integer");
    }
  }

  /** Runs x tasks for the grid view: the newest {@code limit} runs, oldest first. */
  private void grid(Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    dagRecord(dagId);
    List<DagRun> recent =
        new ArrayList<>(store.inTransaction(tx -> tx.runs(dagId, limit(ctx, 25))));
    java.util.Collections.reverse(recent);
    Optional<Dag> dag = runs.dagBag().dag(dagId);
    List<String> taskIds = new ArrayList<>(dag.map(Dag::topologicalOrder).orElse(List.of()));
    List<Map<String, Object>> outRuns = new ArrayList<>();
    for (DagRun r : recent) {
      Map<String, Object> m = DagRunView.of(r).toMap();
      Map<String, Object> states = new LinkedHashMap<>();
      for (TaskInstance t : store.inTransaction(tx -> tx.taskInstances(dagId, r.runId()))) {
        if (!taskIds.contains(t.taskId())) taskIds.add(t.taskId());
        states.put(t.taskId(), TaskInstanceView.of(t).toMap());
      }
      m.put("task_instances", states);
      outRuns.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", dagId);
    m.put("task_ids", taskIds);
    m.put("dag_runs", outRuns);
    m.put(
        "task_states",
        java.util.Arrays.stream(TaskState.values()).map(TaskState::dbValue).toList());
    m.put(
        "run_states",
        java.util.Arrays.stream(DagRunState.values()).map(DagRunState::dbValue).toList());
    Json.send(ctx, m);
  }

  private void importErrors(Context ctx) {
    var errs =
        store.inTransaction(tx -> tx.importErrors()).stream().map(Views::importError).toList();
    Json.send(ctx, Map.of("import_errors", errs, "total_entries", errs.size()));
  }

  private void pools(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    store.inTransaction(
        tx -> {
          for (var p : tx.pools()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("slots", p.slots());
            m.put("occupied_slots", tx.usedPoolSlots(p.name()));
            m.put("description", p.description());
            out.add(m);
          }
          return null;
        });
    Json.send(ctx, Map.of("pools", out, "total_entries", out.size()));
  }
}
