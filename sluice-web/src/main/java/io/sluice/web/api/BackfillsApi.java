package io.sluice.web.api;

import static io.sluice.web.auth.Auth.require;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.core.service.BackfillRequest;
import io.sluice.core.service.BackfillService;
import io.sluice.core.service.BackfillView;
import io.sluice.core.service.View;
import io.sluice.web.auth.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Backfills under {@code /api/v1/backfills}: list, create, get, the dates of one, pause, unpause
 * and cancel, through the {@link BackfillService} that the CLI calls too.
 */
public final class BackfillsApi {
  private static final String ID = "[A-Za-z0-9_.\\-]{1,250}";

  /** Airflow 3's {@code BackfillPostBody}. */
  public static final BodySchema CREATE =
      BodySchema.of(
          BodySchema.string("dag_id", 250)
              .pattern(ID, "1 to 250 letters, digits or _ . -")
              .required(),
          BodySchema.dateTime("from_date").required(),
          BodySchema.dateTime("to_date").required(),
          BodySchema.object("dag_run_conf", 1_000_000),
          BodySchema.string("reprocess_behavior", 16).oneOf("none", "failed", "completed"),
          BodySchema.integer("max_active_runs", 1, 10_000),
          BodySchema.bool("run_backwards"),
          BodySchema.bool("run_on_latest_version"));

  private final BackfillService backfills;

  public BackfillsApi(BackfillService backfills) {
    this.backfills = backfills;
  }

  public void register(RoutesConfig r) {
    String one = "/api/v1/backfills/{backfill_id}";
    r.get("/api/v1/backfills", require(Role.VIEWER, this::list));
    r.post("/api/v1/backfills", require(Role.OP, ctx -> Json.send(ctx, view(create(ctx)))));
    r.get(one, require(Role.VIEWER, ctx -> Json.send(ctx, view(backfills.get(id(ctx))))));
    r.put(one + "/pause", require(Role.OP, ctx -> change(ctx, backfills::pause)));
    r.put(one + "/unpause", require(Role.OP, ctx -> change(ctx, backfills::unpause)));
    r.put(one + "/cancel", require(Role.OP, ctx -> change(ctx, backfills::cancel)));
    registerSluiceOnly(r, "/api/v1");
  }

  /**
   * Registers the routes only Sluice has (no Airflow 3 equivalent) under {@code base}: {@code
   * /api/v1} and {@code /api/v2/sluice}.
   */
  public void registerSluiceOnly(RoutesConfig r, String base) {
    r.get(base + "/backfills/{backfill_id}/dates", require(Role.VIEWER, this::dates));
  }

  /** The request in a body that {@link #CREATE} accepts. */
  public static BackfillRequest request(BodySchema.Body body) {
    Long max = body.integer("max_active_runs");
    return new BackfillRequest(
        body.string("dag_id"),
        body.instant("from_date"),
        body.instant("to_date"),
        body.has("dag_run_conf") ? Json.write(body.node("dag_run_conf")) : null,
        body.string("reprocess_behavior"),
        max == null ? null : max.intValue(),
        body.bool("run_backwards", false));
  }

  /** The {@code backfill_id} path parameter; 404 when it is not a backfill's id. */
  public static long id(Context ctx) {
    String raw = ctx.pathParam("backfill_id");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.notFound("backfill '" + raw + "' not found");
    }
  }

  private BackfillView create(Context ctx) {
    return backfills.create(request(CREATE.read(ctx)));
  }

  private static Map<String, Object> view(BackfillView b) {
    return b.toMap();
  }

  private void change(Context ctx, LongFunction<BackfillView> op) {
    Json.send(ctx, view(op.apply(id(ctx))));
  }

  private void list(Context ctx) {
    List<BackfillView> all = backfills.list(ctx.queryParam("dag_id"));
    int offset = intParam(ctx, "offset", 0);
    int limit = intParam(ctx, "limit", 100);
    List<Map<String, Object>> page =
        all.stream().skip(offset).limit(limit).map(BackfillsApi::view).toList();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backfills", page);
    m.put("total_entries", all.size());
    Json.send(ctx, m);
  }

  private void dates(Context ctx) {
    List<Map<String, Object>> dates = backfills.dates(id(ctx)).stream().map(View::toMap).toList();
    Json.send(ctx, Map.of("dates", dates, "total_entries", dates.size()));
  }

  private static int intParam(Context ctx, String name, int dflt) {
    String v = ctx.queryParam(name);
    if (v == null) return dflt;
    try {
      int n = Integer.parseInt(v);
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be a non-negative integer");
    }
  }
}
