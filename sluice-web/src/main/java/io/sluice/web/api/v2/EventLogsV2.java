package io.sluice.web.api.v2;

import static io.sluice.web.auth.Auth.require;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import io.sluice.web.db.EventLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The event log under {@code /api/v2/eventLogs}: list with Airflow's filters, and get. */
final class EventLogsV2 {
  private static final List<String> EQUAL =
      List.of("dag_id", "task_id", "run_id", "owner", "event");

  private final EventLog log;

  EventLogsV2(EventLog log) {
    this.log = log;
  }

  void register(RoutesConfig r) {
    r.get(V2Api.BASE + "/eventLogs", require(Role.VIEWER, this::list));
    r.get(V2Api.BASE + "/eventLogs/{event_log_id}", require(Role.VIEWER, this::get));
  }

  private void list(Context ctx) {
    Map<String, Object> equal = new LinkedHashMap<>();
    Map<String, String> like = new LinkedHashMap<>();
    for (String f : EQUAL) {
      String v = ctx.queryParam(f);
      if (v != null && !v.isEmpty()) equal.put(f, v);
      String p = ctx.queryParam(f + "_pattern");
      if (p != null && !p.isEmpty()) like.put(f, p);
    }
    String tryNumber = ctx.queryParam("try_number");
    if (tryNumber != null) equal.put("try_number", Page.intParam(ctx, "try_number", 0, 0));
    // why: Sluice has no mapped tasks, so every event is of map index -1 or of none
    String mapIndex = ctx.queryParam("map_index");
    if (mapIndex != null && Page.intParam(ctx, "map_index", -1, -1) != -1) equal.put("id", -1L);
    List<String> order = new ArrayList<>();
    for (String p : ctx.queryParams("order_by"))
      for (String f : p.split(",")) {
        String name = f.trim();
        if (name.isEmpty()) continue;
        if (!EventLog.COLUMNS.containsKey(name.startsWith("-") ? name.substring(1) : name))
          throw ApiException.badRequest(
              "Ordering with '" + name + "' is disallowed or the attribute does not exist");
        order.add(name);
      }
    EventLog.Query q =
        new EventLog.Query(
            equal,
            like,
            RunsV2.multi(ctx, "included_events"),
            RunsV2.multi(ctx, "excluded_events"),
            RunsV2.instant(ctx.queryParam("after"), "after"),
            RunsV2.instant(ctx.queryParam("before"), "before"),
            order,
            Math.min(Page.intParam(ctx, "limit", Page.DEFAULT_LIMIT, 0), Page.MAX_LIMIT),
            Page.intParam(ctx, "offset", 0, 0));
    Map.Entry<List<EventLog.Event>, Long> page = log.list(q);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (EventLog.Event e : page.getKey()) rows.add(view(e));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_logs", rows);
    m.put("total_entries", page.getValue());
    Json.send(ctx, m);
  }

  private void get(Context ctx) {
    String id = ctx.pathParam("event_log_id");
    long n;
    try {
      n = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new ApiException(422, "'event_log_id' must be an integer");
    }
    EventLog.Event e =
        log.get(n)
            .orElseThrow(() -> ApiException.notFound("The Event with id: `" + id + "` not found"));
    Json.send(ctx, view(e));
  }

  private static Map<String, Object> view(EventLog.Event e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event_log_id", e.id());
    m.put("when", e.when());
    m.put("dag_id", e.dagId());
    m.put("task_id", e.taskId());
    m.put("run_id", e.runId());
    m.put("map_index", e.taskId() == null ? null : -1);
    m.put("try_number", e.tryNumber());
    m.put("event", e.event());
    m.put("logical_date", null);
    m.put("owner", e.owner());
    m.put("extra", e.extra());
    m.put("dag_display_name", e.dagId());
    m.put("task_display_name", e.taskId());
    return m;
  }
}
