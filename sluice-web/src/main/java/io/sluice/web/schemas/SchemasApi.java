package io.sluice.web.schemas;

import static io.sluice.web.auth.Auth.require;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.schemaregistry.CompatibilityLevel;
import io.sluice.schemaregistry.CompatibilityLevel.Versioned;
import io.sluice.schemaregistry.SchemaDiff;
import io.sluice.schemaregistry.client.SchemaRegistryClient;
import io.sluice.schemaregistry.client.SchemaRegistryClientException;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The Schemas page's endpoints, read from the schema registry Sluice is configured with: subjects
 * with their versions and compatibility levels, a subject's versions, and what changed between two
 * of them (field by field, with the verdict of the subject's level).
 */
public final class SchemasApi {
  private final SchemaRegistryClient registry;

  public SchemasApi(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /** Registers the routes under {@code base}: {@code /api/v1} and {@code /api/v2/sluice}. */
  public void register(RoutesConfig r, String base) {
    r.get(base + "/schemas", require(Role.VIEWER, ctx -> call(ctx, this::overview)));
    r.get(base + "/schemas/{subject}", require(Role.VIEWER, ctx -> call(ctx, this::subject)));
    r.get(base + "/schemas/{subject}/diff", require(Role.VIEWER, ctx -> call(ctx, this::diff)));
  }

  private interface Page {
    Object render(Context ctx);
  }

  private void call(Context ctx, Page page) {
    try {
      Json.send(ctx, page.render(ctx));
    } catch (SchemaRegistryClientException e) {
      if (e.status() == 404) throw ApiException.notFound(e.getMessage());
      if (e.status() == 422) throw ApiException.badRequest(e.getMessage());
      throw new ApiException(502, "schema registry " + registry.baseUrl() + ": " + e.getMessage());
    }
  }

  private Object overview(Context ctx) {
    List<Map<String, Object>> subjects = new ArrayList<>();
    for (var s : registry.summaries()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("subject", s.subject());
      row.put("versions", s.versions());
      row.put("latest_id", s.latestId());
      row.put("compatibility", s.level().name());
      subjects.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("registry", registry.baseUrl());
    body.put("compatibility", registry.level(null).name());
    body.put("subjects", subjects);
    return body;
  }

  private Object subject(Context ctx) {
    String subject = ctx.pathParam("subject");
    List<Map<String, Object>> versions = new ArrayList<>();
    for (int n : registry.versions(subject)) {
      var v = registry.version(subject, String.valueOf(n));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("version", v.version());
      row.put("id", v.id());
      row.put("schema", new Schema.Parser().parse(v.schema()).toString(true));
      versions.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", subject);
    body.put("compatibility", registry.level(subject).name());
    body.put("versions", versions);
    return body;
  }

  private Object diff(Context ctx) {
    String subject = ctx.pathParam("subject");
    var from = registry.version(subject, required(ctx, "from"));
    var to = registry.version(subject, required(ctx, "to"));
    Schema before = new Schema.Parser().parse(from.schema());
    Schema after = new Schema.Parser().parse(to.schema());
    CompatibilityLevel level = registry.level(subject);
    List<String> violations =
        level.violations(after, List.of(new Versioned(from.version(), before)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", subject);
    body.put("from", Map.of("version", from.version(), "id", from.id()));
    body.put("to", Map.of("version", to.version(), "id", to.id()));
    body.put("changes", SchemaDiff.between(before, after));
    body.put("compatibility", level.name());
    body.put("compatible", violations.isEmpty());
    body.put("messages", violations);
    return body;
  }

  private static String required(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) throw ApiException.badRequest("'" + name + "' is required");
    return v;
  }
}
