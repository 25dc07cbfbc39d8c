package io.sluice.web.auth;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.BodySchema;
import io.sluice.web.api.Json;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorization of every request. Browsers log in on {@code /login} and get an
 * HttpOnly, SameSite=Strict session cookie; every state change they make must carry the session's
 * CSRF token in {@code X-CSRF-Token}. Scripts use HTTP Basic (as Airflow's basic-auth backend) or
 * an API token ({@code Authorization: Bearer slc_...}). Failed passwords are throttled per user
 * name, per address and per both ({@link LoginThrottle}) and audited ({@link Audit}). A session
 * ends as soon as its user's record changes (deleted, new password, new role), whichever process
 * changed it. Airflow 3 clients get a JWT from {@code POST /auth/token} and send it as {@code
 * Authorization: Bearer <jwt>}.
 */
public final class Auth {
  private static final Logger LOG = LoggerFactory.getLogger(Auth.class);
  public static final String SESSION_COOKIE = "sluice_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  static final String PRINCIPAL = "sluice.principal";
  private static final Set<String> PUBLIC =
      Set.of(
          "/health",
          "/api/v1/health",
          "/api/v2/monitor/health",
          "/api/v2/version",
          "/auth/token",
          "/login",
          "/static/login.js",
          "/static/sluice.css");
  private static final Set<HandlerType> SAFE =
      Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);

  private static final BodySchema LOGIN =
      BodySchema.of(
          BodySchema.string("username", 100).required(),
          BodySchema.string("password", 200).required());

  private final UserRepository users;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final JwtTokens jwts;

  public Auth(UserRepository users, Sessions sessions, LoginThrottle throttle, JwtTokens jwts) {
    this.users = users;
    this.sessions = sessions;
    this.throttle = throttle;
    this.jwts = jwts;
  }

  public static boolean isPublic(String path) {
    return PUBLIC.contains(path) || path.equals("/favicon.ico");
  }

  /** The before-handler: authenticates, or answers 401 (API) or redirects to the login page. */
  public void authenticate(Context ctx) {
    String path = ctx.path();
    if (isPublic(path)) return;
    Principal p = resolve(ctx);
    if (p == null) {
      if (isApi(path) || ctx.method() != HandlerType.GET) {
        // why: no WWW-Authenticate challenge, ever: a browser that was challenged caches the
        // Basic credentials and then sends them with any other site's forged request
        throw new ApiException(401, "authentication required");
      }
      String next = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
      ctx.redirect(
          "/login?next="
              + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8));
      ctx.skipRemainingHandlers();
      return;
    }
    if (p.session() != null && !SAFE.contains(ctx.method())) checkCsrf(ctx, p.session());
    // why: the origin and content-type rule for every authentication is RequestGuard's
    ctx.attribute(PRINCIPAL, p);
  }

  private static boolean isApi(String path) {
    return path.startsWith("/api/") || path.equals("/metrics");
  }

  private Principal resolve(Context ctx) {
    String authz = ctx.header("Authorization");
    if (authz != null) {
      if (authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String credential = authz.substring(7).trim();
        if (JwtTokens.looksLikeJwt(credential))
          // why: the user is read again, so deletion or a new password or role applies at once
          return jwts.verify(credential, users::stamp)
              .flatMap(users::find)
              .map(u -> new Principal(u.username(), u.role(), "jwt", null))
              .orElseThrow(() -> new ApiException(401, "invalid or expired JWT"));
        return users
            .authenticateToken(credential)
            .map(u -> new Principal(u.username(), u.role(), "token", null))
            .orElseThrow(() -> new ApiException(401, "invalid API token"));
      }
      if (authz.regionMatches(true, 0, "Basic ", 0, 6)) {
        String decoded;
        try {
          decoded =
              new String(
                  Base64.getDecoder().decode(authz.substring(6).trim()),
                  java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new ApiException(401, "malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) throw new ApiException(401, "malformed Basic credentials");
        User u = checkPassword(ctx, decoded.substring(0, colon), decoded.substring(colon + 1));
        return new Principal(u.username(), u.role(), "basic", null);
      }
      throw new ApiException(401, "unsupported Authorization scheme");
    }
    Sessions.Session s = sessions.find(ctx.cookie(SESSION_COOKIE)).orElse(null);
    if (s == null) return null;
    // why: the user may have been deleted, or changed password or role, by another process
    if (!users.stamp(s.username()).map(s.stamp()::equals).orElse(false)) {
      sessions.remove(s.id());
      return null;
    }
    return new Principal(s.username(), s.role(), "session", s);
  }

  /** Checks a password with throttling; throws 429 while throttled and 401 when wrong. */
  User checkPassword(Context ctx, String username, String password) {
    String address = ctx.ip();
    Optional<Duration> wait = throttle.retryAfter(username, address);
    if (wait.isPresent()) {
      long secs = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      ctx.header("Retry-After", Long.toString(secs));
      Audit.loginFailed(username, address, "throttled for " + secs + " s");
      throw new ApiException(429, "too many failed logins; try again in " + secs + " s");
    }
    Optional<User> u = users.authenticate(username, password);
    if (u.isEmpty()) {
      throttle.failed(username, address);
      Audit.loginFailed(username, address, "wrong user name or password");
      throw new ApiException(401, "invalid user name or password");
    }
    throttle.succeeded(username, address);
    return u.get();
  }

  private static void checkCsrf(Context ctx, Sessions.Session s) {
    String token = ctx.header(CSRF_HEADER);
    if (token == null
        || !java.security.MessageDigest.isEqual(token.getBytes(), s.csrfToken().getBytes()))
      throw new ApiException(403, "missing or invalid CSRF token");
  }

  /** The authenticated caller, or null when the request has none (yet). */
  public static Principal caller(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  /** The authenticated caller; set by {@link #authenticate}. */
  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) throw new ApiException(401, "authentication required");
    return p;
  }

  /** Wraps a handler so that it runs only for callers with at least {@code role}. */
  public static Handler require(Role role, Handler handler) {
    return ctx -> {
      Principal p = principal(ctx);
      if (!p.can(role))
        throw new ApiException(
            403,
            "user '"
                + p.username()
                + "' ("
                + p.role().id()
                + ") may not do this; needs "
                + role.id());
      handler.handle(ctx);
    };
  }

  /** {@code POST /login} with a JSON body {@code username}, {@code password}. */
  public void login(Context ctx) {
    var body = LOGIN.read(ctx);
    String username = body.string("username");
    String password = body.string("password");
    User u = checkPassword(ctx, username, password);
    sessions.remove(ctx.cookie(SESSION_COOKIE));
    Sessions.Session s = sessions.create(u, users.stamp(u.username()).orElseThrow());
    Cookie cookie = new Cookie(SESSION_COOKIE, s.id());
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setSecure("https".equalsIgnoreCase(ctx.scheme()));
    ctx.cookie(cookie);
    LOG.info("user '{}' logged in from {}", u.username(), ctx.ip());
    Json.send(ctx, me(new Principal(u.username(), u.role(), "session", s)));
  }

  /**
   * {@code POST /auth/token} with a JSON body {@code username}, {@code password}: a JWT for the
   * {@code Authorization: Bearer} header, as Airflow 3's API issues.
   */
  public void issueToken(Context ctx) {
    var body = LOGIN.read(ctx);
    User u = checkPassword(ctx, body.string("username"), body.string("password"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("access_token", jwts.issue(u.username(), users.stamp(u.username()).orElseThrow()));
    m.put("token_type", "bearer");
    m.put("expires_in", jwts.lifetime().toSeconds());
    ctx.status(201);
    Json.send(ctx, m);
  }

  /** {@code POST /logout}: ends the session (CSRF-checked like every state change). */
  public void logout(Context ctx) {
    Principal p = principal(ctx);
    if (p.session() != null) sessions.remove(p.session().id());
    ctx.removeCookie(SESSION_COOKIE, "/");
    Json.send(ctx, Map.of("logged_out", true));
  }

  public static Map<String, Object> me(Principal p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("username", p.username());
    m.put("role", p.role().id());
    m.put("auth", p.method());
    if (p.session() != null) m.put("csrf_token", p.session().csrfToken());
    return m;
  }
}
