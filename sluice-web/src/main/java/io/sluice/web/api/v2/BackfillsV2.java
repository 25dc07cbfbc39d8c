package io.sluice.web.api.v2;

import static io.sluice.web.auth.Auth.require;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.core.model.RunType;
import io.sluice.core.service.BackfillRequest;
import io.sluice.core.service.BackfillService;
import io.sluice.core.service.BackfillView;
import io.sluice.web.api.BackfillsApi;
import io.sluice.web.api.BodySchema;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * {@code /api/v2/backfills}: Airflow 3's backfill operations (list, get, create, dry run, pause,
 * unpause, cancel) over the {@link BackfillService}, answering its {@code BackfillResponse}.
 */
final class BackfillsV2 {
  private static final String BASE = V2Api.BASE + "/backfills";

  /** The fields of Airflow's {@code BackfillResponse}; Sluice's progress stays on /api/v1. */
  private static final Set<String> RESPONSE_FIELDS =
      Set.of(
          "id",
          "dag_id",
          "dag_display_name",
          "from_date",
          "to_date",
          "dag_run_conf",
          "is_paused",
          "reprocess_behavior",
          "max_active_runs",
          "created_at",
          "completed_at",
          "updated_at");

  private static final BodySchema CREATE = BackfillsApi.CREATE.refusingWith(422);

  private final BackfillService backfills;

  BackfillsV2(BackfillService backfills) {
    this.backfills = backfills;
  }

  void register(RoutesConfig r) {
    String one = BASE + "/{backfill_id}";
    r.get(BASE, require(Role.VIEWER, this::list));
    r.post(BASE, require(Role.OP, ctx -> Json.send(ctx, view(backfills.create(request(ctx))))));
    r.post(BASE + "/dry_run", require(Role.OP, this::dryRun));
    r.get(one, require(Role.VIEWER, ctx -> Json.send(ctx, view(backfills.get(id(ctx))))));
    r.put(one + "/pause", require(Role.OP, ctx -> change(ctx, backfills::pause)));
    r.put(one + "/unpause", require(Role.OP, ctx -> change(ctx, backfills::unpause)));
    r.put(one + "/cancel", require(Role.OP, ctx -> change(ctx, backfills::cancel)));
  }

  static Map<String, Object> view(BackfillView b) {
    Map<String, Object> m = new LinkedHashMap<>(b.toMap());
    m.keySet().retainAll(RESPONSE_FIELDS);
    return m;
  }

  private static BackfillRequest request(Context ctx) {
    return BackfillsApi.request(CREATE.read(ctx));
  }

  private static long id(Context ctx) {
    return BackfillsApi.id(ctx);
  }

  private void change(Context ctx, LongFunction<BackfillView> op) {
    Json.send(ctx, view(op.apply(id(ctx))));
  }

  private void list(Context ctx) {
    List<Map<String, Object>> rows =
        backfills.list(ctx.queryParam("dag_id")).stream().map(BackfillsV2::view).toList();
    Page.send(ctx, "backfills", rows, "id");
  }

  private void dryRun(Context ctx) {
    List<Instant> dates = backfills.dryRun(request(ctx));
    List<Map<String, Object>> rows =
        dates.stream()
            .map(d -> Map.<String, Object>of("logical_date", RunType.timestamp(d)))
            .toList();
    Json.send(ctx, Map.of("backfills", rows, "total_entries", rows.size()));
  }
}
