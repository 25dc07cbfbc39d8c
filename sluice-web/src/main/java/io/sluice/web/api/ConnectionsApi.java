package io.sluice.web.api;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.api.Connection;
import io.sluice.store.ConnectionStore;
import io.sluice.web.auth.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored connections under {@code /api/v1/connections}. Passwords and sensitive extras are
 * encrypted at rest by the {@link ConnectionStore} and never returned: they read {@code "***"}.
 */
public final class ConnectionsApi {
  private static final String MASK = "***";
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
    m.put("description", description);
    m.put("host", c.host());
    m.put("port", c.port());
    m.put("login", c.login());
    m.put("password", c.password() == null || c.password().isEmpty() ? null : MASK);
    m.put("schema", c.schema());
    Map<String, String> extra = new LinkedHashMap<>();
    c.extra().forEach((k, v) -> extra.put(k, AdminApi.sensitive(k) ? MASK : v));
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
    JsonNode b = Json.body(ctx);
    String id = Json.required(b, "connection_id");
    if (!id.matches("[A-Za-z0-9_.\\-]{1,250}"))
      throw ApiException.badRequest("a connection id has 1 to 250 letters, digits or _ . -");
    Map<String, String> extra = new LinkedHashMap<>();
    JsonNode e = b.get("extra");
    if (e != null && e.isObject())
      e.fields().forEachRemaining(f -> extra.put(f.getKey(), f.getValue().asText()));
    else if (e != null && !e.isNull())
      throw ApiException.badRequest("'extra' must be a JSON object");
    JsonNode port = b.get("port");
    if (port != null && !port.isNull() && !port.canConvertToInt())
      throw ApiException.badRequest("'port' must be an integer");
    Connection c =
        new Connection(
            id,
            Json.required(b, "conn_type"),
            Json.text(b, "host"),
            port == null || port.isNull() ? null : port.asInt(),
            Json.text(b, "login"),
            Json.text(b, "password"),
            Json.text(b, "schema"),
            extra);
    connections.put(c, Json.text(b, "description"));
    Json.send(ctx, view(c, Json.text(b, "description")));
  }

  private void delete(Context ctx) {
    String id = ctx.pathParam("connection_id");
    if (!connections.delete(id)) throw ApiException.notFound("connection '" + id + "' not found");
    ctx.status(204);
  }
}
