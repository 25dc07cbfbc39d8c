package io.sluice.web.api.v2;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.Pool;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.secrets.Masking;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Variables and pools under {@code /api/v2}. Sensitive variables read {@code ***}. */
final class VariablesPoolsV2 {
  private static final String DEFAULT_POOL = "default_pool";
  private final MetadataStore store;

  VariablesPoolsV2(MetadataStore store) {
    this.store = store;
  }

  void register(RoutesConfig r) {
    String vars = V2Api.BASE + "/variables";
    r.get(vars, require(Role.VIEWER, this::listVariables));
    r.post(vars, require(Role.OP, this::createVariable));
    r.get(vars + "/{variable_key}", require(Role.VIEWER, this::getVariable));
    r.patch(vars + "/{variable_key}", require(Role.OP, this::patchVariable));
    r.delete(vars + "/{variable_key}", require(Role.OP, this::deleteVariable));
    String pools = V2Api.BASE + "/pools";
    r.get(pools, require(Role.VIEWER, this::listPools));
    r.post(pools, require(Role.OP, this::createPool));
    r.get(pools + "/{pool_name}", require(Role.VIEWER, ctx -> Json.send(ctx, pool(ctx))));
    r.patch(pools + "/{pool_name}", require(Role.OP, this::patchPool));
    r.delete(pools + "/{pool_name}", require(Role.OP, this::deletePool));
  }

  private static Map<String, Object> variable(String key, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", key);
    m.put("value", Masking.value(key, value));
    m.put("description", null);
    m.put("is_encrypted", false);
    m.put("team_name", null);
    return m;
  }

  private void listVariables(Context ctx) {
    String pattern = ctx.queryParam("variable_key_pattern");
    List<Map<String, Object>> rows = new ArrayList<>();
    store
        .inTransaction(StoreTransaction::variables)
        .forEach(
            (k, v) -> {
              if (Page.like(k, pattern)) rows.add(variable(k, v));
            });
    Page.send(ctx, "variables", rows, "key");
  }

  private String value(String key) {
    return store
        .inTransaction(tx -> tx.variable(key))
        .orElseThrow(
            () -> ApiException.notFound("The Variable with key: `" + key + "` was not found"));
  }

  private void getVariable(Context ctx) {
    String key = ctx.pathParam("variable_key");
    Json.send(ctx, variable(key, value(key)));
  }

  private void createVariable(Context ctx) {
    JsonNode b = V2Bodies.VARIABLE.read(ctx).json();
    String key = Json.required(b, "key");
    if (store.inTransaction(tx -> tx.variable(key)).isPresent())
      throw new ApiException(409, "The Variable with key: `" + key + "` already exists");
    String value = write(key, b);
    ctx.status(201);
    Json.send(ctx, variable(key, value));
  }

  private String write(String key, JsonNode b) {
    JsonNode v = b.get("value");
    if (v == null || v.isNull()) throw new ApiException(422, "'value' is required");
    String value = v.isTextual() ? v.asText() : Json.write(v);
    store.inTransaction(
        tx -> {
          tx.setVariable(key, value, Json.text(b, "description"));
          return null;
        });
    return value;
  }

  private void patchVariable(Context ctx) {
    String key = ctx.pathParam("variable_key");
    String old = value(key);
    JsonNode b = V2Bodies.VARIABLE_PATCH.read(ctx).json();
    UpdateMask mask = UpdateMask.of(ctx, b, Set.of("key", "value", "description"));
    String given = Json.text(b, "key");
    if (given != null && !given.equals(key))
      throw ApiException.badRequest(
          "Invalid body, key from request body doesn't match uri parameter");
    String value = mask.has("value") ? write(key, b) : old;
    Json.send(ctx, variable(key, value));
  }

  private void deleteVariable(Context ctx) {
    String key = ctx.pathParam("variable_key");
    if (!store.inTransaction(tx -> tx.deleteVariable(key)))
      throw ApiException.notFound("The Variable with key: `" + key + "` was not found");
    ctx.status(204);
  }

  private static Map<String, Object> poolView(StoreTransaction tx, Pool p) {
    int running = 0;
    int queued = 0;
    int scheduled = 0;
    for (DagRunState rs : List.of(DagRunState.RUNNING, DagRunState.QUEUED))
      for (DagRun r : tx.runsInState(rs))
        for (TaskInstance t : tx.taskInstances(r.dagId(), r.runId())) {
          if (!p.name().equals(t.pool())) continue;
          if (t.state() == TaskState.RUNNING) running += t.poolSlots();
          else if (t.state() == TaskState.QUEUED) queued += t.poolSlots();
          else if (t.state() == TaskState.SCHEDULED) scheduled += t.poolSlots();
        }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", p.name());
    m.put("slots", p.slots());
    m.put("description", p.description());
    m.put("include_deferred", false);
    m.put("occupied_slots", running + queued);
    m.put("running_slots", running);
    m.put("queued_slots", queued);
    m.put("scheduled_slots", scheduled);
    m.put("open_slots", p.slots() < 0 ? -1 : Math.max(0, p.slots() - running - queued));
    m.put("deferred_slots", 0);
    m.put("team_name", null);
    return m;
  }

  private Map<String, Object> pool(Context ctx) {
    String name = ctx.pathParam("pool_name");
    return store.inTransaction(
        tx ->
            poolView(
                tx,
                tx.pool(name)
                    .orElseThrow(
                        () ->
                            ApiException.notFound(
                                "The Pool with name: `" + name + "` was not found"))));
  }

  private void listPools(Context ctx) {
    String pattern = ctx.queryParam("pool_name_pattern");
    List<Map<String, Object>> rows =
        store.inTransaction(
            tx -> {
              List<Map<String, Object>> out = new ArrayList<>();
              for (Pool p : tx.pools()) if (Page.like(p.name(), pattern)) out.add(poolView(tx, p));
              return out;
            });
    Page.send(ctx, "pools", rows, "name");
  }

  private static int slots(JsonNode b) {
    JsonNode s = b.get("slots");
    if (s == null || !s.canConvertToInt() || s.asInt() < -1)
      throw new ApiException(422, "'slots' must be an integer of at least -1");
    return s.asInt();
  }

  private void createPool(Context ctx) {
    JsonNode b = V2Bodies.POOL.read(ctx).json();
    String name = Json.required(b, "name");
    int slots = slots(b);
    Map<String, Object> out =
        store.inTransaction(
            tx -> {
              if (tx.pool(name).isPresent())
                throw new ApiException(409, "The Pool with name: `" + name + "` already exists");
              Pool p = new Pool(name, slots, Json.text(b, "description"));
              tx.upsertPool(p);
              return poolView(tx, p);
            });
    ctx.status(201);
    Json.send(ctx, out);
  }

  private void patchPool(Context ctx) {
    String name = ctx.pathParam("pool_name");
    JsonNode b = V2Bodies.POOL_PATCH.read(ctx).json();
    UpdateMask mask = UpdateMask.of(ctx, b, Set.of("pool", "slots", "description"));
    String renamed = Json.text(b, "pool");
    if (mask.has("pool") && renamed != null && !renamed.equals(name))
      throw new ApiException(422, "a pool cannot be renamed; create one under the new name");
    Map<String, Object> out =
        store.inTransaction(
            tx -> {
              Pool old =
                  tx.pool(name)
                      .orElseThrow(
                          () ->
                              ApiException.notFound(
                                  "The Pool with name: `" + name + "` was not found"));
              Pool p =
                  new Pool(
                      name,
                      mask.has("slots") ? slots(b) : old.slots(),
                      mask.has("description") ? Json.text(b, "description") : old.description());
              tx.upsertPool(p);
              return poolView(tx, p);
            });
    Json.send(ctx, out);
  }

  private void deletePool(Context ctx) {
    String name = ctx.pathParam("pool_name");
    if (DEFAULT_POOL.equals(name)) throw ApiException.badRequest("Default Pool can't be deleted");
    if (!store.inTransaction(tx -> tx.deletePool(name)))
      throw ApiException.notFound("The Pool with name: `" + name + "` was not found");
    ctx.status(204);
  }
}
