package io.sluice.web.api;

import static io.sluice.web.auth.Auth.require;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.core.secrets.Masking;
import io.sluice.core.store.MetadataStore;
import io.sluice.web.auth.Auth;
import io.sluice.web.auth.Principal;
import io.sluice.web.auth.Role;
import io.sluice.web.auth.Sessions;
import io.sluice.web.auth.User;
import io.sluice.web.auth.UserRepository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Variables, users, API tokens and the caller's own identity under {@code /api/v1}. */
public final class AdminApi {

  private static final String KEY = "[A-Za-z0-9_.\\-]{1,250}";
  private static final String KEY_HELP = "1 to 250 letters, digits or _ . -";
  private static final String[] ROLES = {"admin", "op", "viewer"};
  private static final BodySchema NEW_VARIABLE =
      BodySchema.of(
          BodySchema.string("key", 250).pattern(KEY, KEY_HELP).required(),
          BodySchema.any("value", 1_000_000).required(),
          BodySchema.string("description", 1000),
          BodySchema.bool("is_sensitive"));
  private static final BodySchema VARIABLE_PATCH =
      BodySchema.of(
          BodySchema.string("key", 250).pattern(KEY, KEY_HELP),
          BodySchema.any("value", 1_000_000).required(),
          BodySchema.string("description", 1000),
          BodySchema.bool("is_sensitive"));
  private static final BodySchema NEW_USER =
      BodySchema.of(
          BodySchema.string("username", 100)
              .pattern("[A-Za-z0-9_.@-]{1,100}", "1 to 100 letters, digits or _ . @ -")
              .required(),
          BodySchema.string("password", 200).required(),
          BodySchema.string("role", 20).oneOf(ROLES).required());
  private static final BodySchema USER_PATCH =
      BodySchema.of(BodySchema.string("password", 200), BodySchema.string("role", 20).oneOf(ROLES));
  private static final BodySchema NEW_TOKEN =
      BodySchema.of(
          BodySchema.string("name", 200)
              .pattern("[^\\p{Cntrl}]{1,200}", "1 to 200 characters, no control characters"));

  private final MetadataStore store;
  private final UserRepository users;
  private final Sessions sessions;

  public AdminApi(MetadataStore store, UserRepository users, Sessions sessions) {
    this.store = store;
    this.users = users;
    this.sessions = sessions;
  }

  public void register(RoutesConfig r) {
    r.get("/api/v1/variables", require(Role.VIEWER, this::listVariables));
    r.post("/api/v1/variables", require(Role.OP, this::createVariable));
    r.get("/api/v1/variables/{key}", require(Role.VIEWER, this::getVariable));
    r.patch("/api/v1/variables/{key}", require(Role.OP, this::updateVariable));
    r.delete("/api/v1/variables/{key}", require(Role.OP, this::deleteVariable));
    registerSluiceOnly(r, "/api/v1");
  }

  /**
   * Registers the routes only Sluice has (no Airflow 3 equivalent) under {@code base}: {@code
   * /api/v1} and {@code /api/v2/sluice}.
   */
  public void registerSluiceOnly(RoutesConfig r, String base) {
    r.get(base + "/me", require(Role.VIEWER, ctx -> Json.send(ctx, Auth.me(Auth.principal(ctx)))));
    r.get(base + "/users", require(Role.ADMIN, this::listUsers));
    r.post(base + "/users", require(Role.ADMIN, this::createUser));
    r.get(base + "/users/{username}", require(Role.VIEWER, this::getUser));
    r.patch(base + "/users/{username}", require(Role.VIEWER, this::updateUser));
    r.delete(base + "/users/{username}", require(Role.ADMIN, this::deleteUser));
    r.get(base + "/users/{username}/tokens", require(Role.VIEWER, this::listTokens));
    r.post(base + "/users/{username}/tokens", require(Role.VIEWER, this::createToken));
    r.delete(base + "/users/{username}/tokens/{token_id}", require(Role.VIEWER, this::deleteToken));
  }

  private static Map<String, Object> variable(String key, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", key);
    m.put("value", Masking.value(key, value));
    m.put("is_sensitive", Masking.sensitiveKey(key));
    return m;
  }

  private void listVariables(Context ctx) {
    List<Map<String, Object>> out = new ArrayList<>();
    store.inTransaction(tx -> tx.variables()).forEach((k, v) -> out.add(variable(k, v)));
    Json.send(ctx, Map.of("variables", out, "total_entries", out.size()));
  }

  private void getVariable(Context ctx) {
    String key = ctx.pathParam("key");
    String v =
        store
            .inTransaction(tx -> tx.variable(key))
            .orElseThrow(() -> ApiException.notFound("variable '" + key + "' not found"));
    Json.send(ctx, variable(key, v));
  }

  private void createVariable(Context ctx) {
    BodySchema.Body body = NEW_VARIABLE.read(ctx);
    put(ctx, body.string("key"), body);
  }

  /** PATCH changes an existing variable; it never creates one (POST does, with its checks). */
  private void updateVariable(Context ctx) {
    String key = ctx.pathParam("key");
    BodySchema.Body body = VARIABLE_PATCH.read(ctx);
    if (body.has("key") && !body.string("key").equals(key))
      throw ApiException.badRequest("'key' differs from the path; a variable cannot be renamed");
    if (store.inTransaction(tx -> tx.variable(key)).isEmpty())
      throw ApiException.notFound("variable '" + key + "' not found");
    put(ctx, key, body);
  }

  private void put(Context ctx, String key, BodySchema.Body body) {
    JsonNode v = body.node("value");
    String value = v.isTextual() ? v.asText() : Json.write(v);
    String description = body.string("description");
    store.inTransaction(
        tx -> {
          tx.setVariable(key, value, description);
          return null;
        });
    Json.send(ctx, variable(key, value));
  }

  private void deleteVariable(Context ctx) {
    String key = ctx.pathParam("key");
    if (!store.inTransaction(tx -> tx.deleteVariable(key)))
      throw ApiException.notFound("variable '" + key + "' not found");
    ctx.status(204);
  }

  static Map<String, Object> user(User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("username", u.username());
    m.put("role", u.role().id());
    m.put("created_on", u.createdAt());
    m.put("last_login", u.lastLoginAt());
    return m;
  }

  /** Admins act on anybody; others only on themselves. */
  private static String self(Context ctx) {
    String name = ctx.pathParam("username");
    Principal p = Auth.principal(ctx);
    if (!p.username().equals(name) && !p.can(Role.ADMIN))
      throw new ApiException(403, "only an admin may act on another user");
    return name;
  }

  private void listUsers(Context ctx) {
    var out = users.list().stream().map(AdminApi::user).toList();
    Json.send(ctx, Map.of("users", out, "total_entries", out.size()));
  }

  private void getUser(Context ctx) {
    String name = self(ctx);
    Json.send(
        ctx,
        user(
            users
                .find(name)
                .orElseThrow(() -> ApiException.notFound("user '" + name + "' not found"))));
  }

  private void createUser(Context ctx) {
    BodySchema.Body body = NEW_USER.read(ctx);
    String name = body.string("username");
    String password = body.string("password");
    Role role = role(body.string("role"));
    try {
      User u = users.create(name, password, role);
      ctx.status(201);
      Json.send(ctx, user(u));
    } catch (IllegalArgumentException e) {
      throw new ApiException(e.getMessage().contains("already exists") ? 409 : 400, e.getMessage());
    }
  }

  private static Role role(String s) {
    try {
      return Role.parse(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private void updateUser(Context ctx) {
    String name = self(ctx);
    BodySchema.Body body = USER_PATCH.read(ctx);
    if (users.find(name).isEmpty()) throw ApiException.notFound("user '" + name + "' not found");
    String roleText = body.string("role");
    if (roleText != null) {
      if (!Auth.principal(ctx).can(Role.ADMIN))
        throw new ApiException(403, "only an admin may change roles");
      users.setRole(name, role(roleText));
      sessions.removeUser(name);
    }
    String password = body.string("password");
    if (password != null) {
      try {
        users.setPassword(name, password);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
      sessions.removeUser(name);
    }
    Json.send(ctx, user(users.find(name).orElseThrow()));
  }

  private void deleteUser(Context ctx) {
    String name = ctx.pathParam("username");
    if (name.equals(Auth.principal(ctx).username()))
      throw ApiException.badRequest("you cannot delete yourself");
    if (!users.delete(name)) throw ApiException.notFound("user '" + name + "' not found");
    sessions.removeUser(name);
    ctx.status(204);
  }

  private void listTokens(Context ctx) {
    String name = self(ctx);
    var out =
        users.tokens(name).stream()
            .map(
                t -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("token_id", t.tokenId());
                  m.put("name", t.name());
                  m.put("created_on", t.createdAt());
                  m.put("last_used", t.lastUsedAt());
                  return m;
                })
            .toList();
    Json.send(ctx, Map.of("tokens", out, "total_entries", out.size()));
  }

  private void createToken(Context ctx) {
    String name = self(ctx);
    String tokenName = NEW_TOKEN.read(ctx).string("name");
    UserRepository.NewToken t;
    try {
      t = users.createToken(name, tokenName == null ? "token" : tokenName);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound(e.getMessage());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("token_id", t.info().tokenId());
    m.put("name", t.info().name());
    m.put("token", t.token());
    m.put("note", "store this token now; it cannot be shown again");
    ctx.status(201);
    Json.send(ctx, m);
  }

  private void deleteToken(Context ctx) {
    String name = self(ctx);
    if (!users.deleteToken(name, ctx.pathParam("token_id")))
      throw ApiException.notFound("token not found");
    ctx.status(204);
  }
}
