package io.sluice.web.api.v2;

import static io.sluice.web.auth.Auth.require;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.store.MetadataStore;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code monitor/health}, {@code version} and {@code config} under {@code /api/v2}. */
final class MonitorV2 {
  private final MetadataStore store;
  private final EngineLoop scheduler;
  private final SluiceConfig config;

  /**
   * @param scheduler the scheduler of this process, or null
   */
  MonitorV2(MetadataStore store, EngineLoop scheduler, SluiceConfig config) {
    this.store = store;
    this.scheduler = scheduler;
    this.config = config;
  }

  void register(RoutesConfig r) {
    r.get(V2Api.BASE + "/monitor/health", this::health);
    r.get(V2Api.BASE + "/version", this::version);
    r.get(V2Api.BASE + "/config", require(Role.ADMIN, this::config));
    r.get(
        V2Api.BASE + "/config/section/{section}/option/{option}",
        require(Role.ADMIN, this::option));
  }

  private void health(Context ctx) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metadatabase", Map.of("status", databaseStatus(store)));
    Map<String, Object> sched = new LinkedHashMap<>();
    // why: a web server started without a scheduler cannot see one running in another process
    sched.put("status", scheduler == null ? "unknown" : "healthy");
    sched.put(
        "latest_scheduler_heartbeat",
        scheduler == null ? null : scheduler.clock().instant().toString());
    m.put("scheduler", sched);
    m.put("triggerer", Map.of("status", "healthy"));
    m.put("dag_processor", Map.of("status", "healthy"));
    Json.send(ctx, m);
  }

  /** {@code healthy} when the metadata database answers a query, else {@code unhealthy}. */
  static String databaseStatus(MetadataStore store) {
    try {
      store.inTransaction(tx -> tx.pools());
      return "healthy";
    } catch (RuntimeException e) {
      return "unhealthy";
    }
  }

  private void version(Context ctx) {
    String v = V2Api.class.getPackage().getImplementationVersion();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v == null ? "development" : v);
    m.put("git_version", null);
    Json.send(ctx, m);
  }

  /** Sections are the first part of a setting's name ({@code kafka.bootstrap} is in kafka). */
  private Map<String, List<Map<String, Object>>> sections() {
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    for (SluiceConfig.Value v : config.describe()) {
      String name = v.key().name();
      int dot = name.indexOf('.');
      String section = dot < 0 ? "core" : name.substring(0, dot);
      String key = dot < 0 ? name : name.substring(dot + 1);
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("key", key);
      o.put("value", v.display());
      out.computeIfAbsent(section, k -> new ArrayList<>()).add(o);
    }
    return out;
  }

  private void config(Context ctx) {
    String only = ctx.queryParam("section");
    List<Map<String, Object>> sections = new ArrayList<>();
    sections()
        .forEach(
            (name, options) -> {
              if (only == null || only.equals(name))
                sections.add(Map.of("name", name, "options", options));
            });
    if (only != null && sections.isEmpty())
      throw ApiException.notFound("Section " + only + " not found.");
    Json.send(ctx, Map.of("sections", sections));
  }

  private void option(Context ctx) {
    String section = ctx.pathParam("section");
    String option = ctx.pathParam("option");
    for (Map<String, Object> o : sections().getOrDefault(section, List.of()))
      if (option.equals(o.get("key"))) {
        Json.send(ctx, Map.of("sections", List.of(Map.of("name", section, "options", List.of(o)))));
        return;
      }
    throw ApiException.notFound("Option [" + section + "/" + option + "] not found.");
  }
}
