package io.sluice.web.api.v2;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.api.Connection;
import io.sluice.core.secrets.Masking;
import io.sluice.store.ConnectionStore;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Connections under {@code /api/v2}. Passwords and sensitive extras are write-only: they read
 * {@code ***}, and a PATCH that sends {@code ***} back keeps the stored secret.
 */
final class ConnectionsV2 {
  private static final String MASK = "***";
  private static final Set<String> FIELDS =
      Set.of(
          "connection_id",
          "conn_type",
          "description",
          "host",
          "port",
          "login",
          "password",
          "schema",
          "extra");
  private static final int TEST_TIMEOUT_MS = 3000;

  private final ConnectionStore connections;

  ConnectionsV2(ConnectionStore connections) {
    this.connections = connections;
  }

  void register(RoutesConfig r) {
    String base = V2Api.BASE + "/connections";
    r.get(base, require(Role.VIEWER, this::list));
    r.post(base, require(Role.OP, this::create));
    // why: a TCP probe from the server's network to any host and port is an admin's tool
    r.post(base + "/test", require(Role.ADMIN, this::test));
    r.get(base + "/{connection_id}", require(Role.VIEWER, ctx -> Json.send(ctx, view(find(ctx)))));
    r.patch(base + "/{connection_id}", require(Role.OP, this::patch));
    r.delete(base + "/{connection_id}", require(Role.OP, this::delete));
  }

  private Connection find(Context ctx) {
    String id = ctx.pathParam("connection_id");
    return connections
        .find(id)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "The Connection with connection_id: `" + id + "` was not found"));
  }

  private Map<String, Object> view(Connection c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connection_id", c.connId());
    m.put("conn_type", c.type());
    m.put("description", connections.description(c.connId()).orElse(null));
    m.put("host", c.host());
    m.put("login", c.login());
    m.put("schema", c.schema());
    m.put("port", c.port());
    m.put("password", c.password() == null || c.password().isEmpty() ? null : MASK);
    Map<String, String> extra = new LinkedHashMap<>();
    c.extra().forEach((k, v) -> extra.put(k, Masking.value(k, v)));
    m.put("extra", extra.isEmpty() ? null : Json.write(extra));
    m.put("team_name", null);
    return m;
  }

  private void list(Context ctx) {
    String pattern = ctx.queryParam("connection_id_pattern");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Connection c : connections.list()) if (Page.like(c.connId(), pattern)) rows.add(view(c));
    Page.send(ctx, "connections", rows, "connection_id");
  }

  private void create(Context ctx) {
    JsonNode b = V2Bodies.CONNECTION.read(ctx).json();
    Connection c = parse(b, null);
    if (connections.find(c.connId()).isPresent())
      throw new ApiException(
          409, "The connection with connection_id: `" + c.connId() + "` already exists");
    connections.put(c, Json.text(b, "description"));
    ctx.status(201);
    Json.send(ctx, view(c));
  }

  private void patch(Context ctx) {
    Connection old = find(ctx);
    JsonNode b = V2Bodies.CONNECTION_PARTIAL.read(ctx).json();
    UpdateMask mask = UpdateMask.of(ctx, b, FIELDS);
    String id = Json.text(b, "connection_id");
    if (id != null && !id.equals(old.connId()))
      throw ApiException.badRequest("The connection_id in the body does not match the path");
    Connection given = parse(b, old);
    Connection merged =
        new Connection(
            old.connId(),
            mask.has("conn_type") ? given.type() : old.type(),
            mask.has("host") ? given.host() : old.host(),
            mask.has("port") ? given.port() : old.port(),
            mask.has("login") ? given.login() : old.login(),
            mask.has("password") ? given.password() : old.password(),
            mask.has("schema") ? given.schema() : old.schema(),
            mask.has("extra") ? given.extra() : old.extra());
    String description =
        mask.has("description")
            ? Json.text(b, "description")
            : connections.description(old.connId()).orElse(null);
    connections.put(merged, description);
    Json.send(ctx, view(merged));
  }

  /** A connection from a body; {@code ***} for a secret keeps {@code old}'s value. */
  private static Connection parse(JsonNode b, Connection old) {
    String id = old != null ? old.connId() : Json.required(b, "connection_id");
    String type = old != null && Json.text(b, "conn_type") == null ? old.type() : null;
    if (type == null) type = Json.required(b, "conn_type");
    JsonNode port = b.get("port");
    String password = Json.text(b, "password");
    if (MASK.equals(password) && old != null) password = old.password();
    return new Connection(
        id,
        type,
        Json.text(b, "host"),
        port == null || port.isNull() ? null : port.asInt(),
        Json.text(b, "login"),
        password,
        Json.text(b, "schema"),
        extra(b.get("extra"), old));
  }

  /** Airflow sends {@code extra} as a JSON object in a string; a plain object is taken too. */
  private static Map<String, String> extra(JsonNode e, Connection old) {
    Map<String, String> out = new LinkedHashMap<>();
    if (e == null || e.isNull() || (e.isTextual() && e.asText().isBlank())) return out;
    JsonNode obj = e.isTextual() ? Json.parse(e.asText()) : e;
    if (!obj.isObject()) throw new ApiException(422, "'extra' must be a JSON object");
    obj.fields()
        .forEachRemaining(
            f -> {
              String v = f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString();
              if (MASK.equals(v) && old != null && old.extra().containsKey(f.getKey()))
                v = old.extra().get(f.getKey());
              out.put(f.getKey(), v);
            });
    return out;
  }

  private void delete(Context ctx) {
    String id = find(ctx).connId();
    connections.delete(id);
    ctx.status(204);
  }

  /**
   * {@code POST /connections/test}: opens a TCP connection to the host and port the body names (the
   * stored one's when the body sends only the id), within three seconds.
   */
  private void test(Context ctx) {
    JsonNode b = V2Bodies.CONNECTION_PARTIAL.read(ctx).json();
    String id = Json.text(b, "connection_id");
    Connection stored = id == null ? null : connections.find(id).orElse(null);
    String host = Json.text(b, "host");
    JsonNode portNode = b.get("port");
    Integer port = portNode == null || portNode.isNull() ? null : portNode.asInt();
    if (host == null && stored != null) host = stored.host();
    if (port == null && stored != null) port = stored.port();
    Map<String, Object> m = new LinkedHashMap<>();
    if (host == null || host.isBlank() || port == null) {
      m.put("status", false);
      m.put("message", "the connection names no host and port to test");
    } else {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), TEST_TIMEOUT_MS);
        m.put("status", true);
        m.put("message", "Connection successfully tested: " + host + ":" + port + " answers");
      } catch (IOException | IllegalArgumentException e) {
        m.put("status", false);
        m.put("message", "cannot reach " + host + ":" + port + ": " + e.getMessage());
      }
    }
    Json.send(ctx, m);
  }
}
