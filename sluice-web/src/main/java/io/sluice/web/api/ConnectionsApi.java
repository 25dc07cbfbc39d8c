package io.sluice.web.api;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.api.Connection;
import io.sluice.core.secrets.Masking;
import io.sluice.store.ConnectionStore;
import io.sluice.web.auth.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored connections under {@code /api/v1/connections}. Passwords and sensitive extras are
 * encrypted at rest by the {@link ConnectionStore} and never returned: they read {@code "***"}, as
 * does any secret inside another value ({@link Masking}: a JAAS password, a URL's password).
 */
public final class ConnectionsApi {
  private static final BodySchema CONNECTION =
      BodySchema.of(
          BodySchema.string("connection_id", 250)
              .pattern("[A-Za-z0-9_.\\-]{1,250}", "1 to 250 letters, digits or _ . -")
              .required(),
          BodySchema.string("conn_type", 100)
              .pattern("[A-Za-z0-9_.\\-]{1,100}", "1 to 100 letters, digits or _ . -")
              .required(),
          BodySchema.string("description", 1000),
          BodySchema.string("host", 500),
          BodySchema.integer("port", 0, 65535),
          BodySchema.string("login", 500),
          // why: stored encrypted in 4,000 characters; 700 characters of 3 UTF-8 bytes fit
          BodySchema.string("password", 700),
          BodySchema.string("schema", 500),
          BodySchema.object("extra", 100_000));
  private final ConnectionStore connections;

  public ConnectionsApi(ConnectionStore connections) {
    this.connections = connections;
  }

  public void register(RoutesConfig r) {
    r.get("/api/v1/connections", require(Role.VIEWER, this::list));
    r.post("/api/v1/connections", require(Role.OP, this::put));
    r.get("/api/v1/connections/{connection_id}", require(Role.VIEWER, this::get));
    r.delete("/api/v1/connections/{connection_id}", require(Role.OP, this::delete));
  }

  static Map<String, Object> view(Connection c, String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connection_id", c.connId());
    m.put("conn_type", c.type());
    m.put("description", Masking.inText(description));
    m.put("host", Masking.inText(c.host()));
    m.put("port", c.port());
    m.put("login", c.login());
    m.put("password", c.password() == null || c.password().isEmpty() ? null : Masking.MASK);
    m.put("schema", Masking.inText(c.schema()));
    Map<String, String> extra = new LinkedHashMap<>();
    c.extra().forEach((k, v) -> extra.put(k, Masking.value(k, v)));
    m.put("extra", extra);
    return m;
  }

  private void list(Context ctx) {
    List<Map<String, Object>> out =
        connections.list().stream()
            .map(c -> view(c, connections.description(c.connId()).orElse(null)))
            .toList();
    Json.send(ctx, Map.of("connections", out, "total_entries", out.size()));
  }

  private void get(Context ctx) {
    String id = ctx.pathParam("connection_id");
    Connection c =
        connections
            .find(id)
            .orElseThrow(() -> ApiException.notFound("connection '" + id + "' not found"));
    Json.send(ctx, view(c, connections.description(id).orElse(null)));
  }

  private void put(Context ctx) {
    BodySchema.Body b = CONNECTION.read(ctx);
    Map<String, String> extra = new LinkedHashMap<>();
    JsonNode e = b.node("extra");
    // why: a nested value is kept as its JSON text, never flattened to ""
    if (e != null)
      e.fields()
          .forEachRemaining(
              f ->
                  extra.put(
                      f.getKey(),
                      f.getValue().isTextual() ? f.getValue().asText() : Json.write(f.getValue())));
    Long port = b.integer("port");
    Connection c =
        new Connection(
            b.string("connection_id"),
            b.string("conn_type"),
            b.string("host"),
            port == null ? null : port.intValue(),
            b.string("login"),
            b.string("password"),
            b.string("schema"),
            extra);
    connections.put(c, b.string("description"));
    Json.send(ctx, view(c, b.string("description")));
  }

  private void delete(Context ctx) {
    String id = ctx.pathParam("connection_id");
    if (!connections.delete(id)) throw ApiException.notFound("connection '" + id + "' not found");
    ctx.status(204);
  }
}
