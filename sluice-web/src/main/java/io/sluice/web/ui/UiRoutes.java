package io.sluice.web.ui;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.web.api.ApiException;
import io.sluice.web.auth.Auth;
import io.sluice.web.auth.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The web UI: plain HTML, CSS and JavaScript bundled in this jar under {@code io/sluice/web/ui}, so
 * that it works offline. The pages are one shell ({@code index.html}) with hash routes, plus the
 * login page, which is the only page served without a session.
 */
public final class UiRoutes {
  private static final String BASE = "/io/sluice/web/ui/";
  private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "json", "application/json");

  private UiRoutes() {}

  public static void register(RoutesConfig r) {
    r.get("/login", ctx -> serve(ctx, "login.html"));
    r.get("/", Auth.require(Role.VIEWER, ctx -> serve(ctx, "index.html")));
    r.get("/favicon.ico", ctx -> serve(ctx, "favicon.svg"));
    r.get(
        "/static/{file}",
        ctx -> {
          // why: login.js and sluice.css are public (Auth.PUBLIC); the rest needs a session
          String f = ctx.pathParam("file");
          if (!f.matches("[a-z0-9_-]+\\.(js|css|svg)")) throw ApiException.notFound("no such file");
          serve(ctx, f);
        });
  }

  private static void serve(Context ctx, String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1);
    ctx.contentType(TYPES.getOrDefault(ext, "application/octet-stream"));
    ctx.header("Cache-Control", "no-cache");
    ctx.result(bytes(name));
  }

  /** A bundled file's bytes; 404 when absent. */
  public static byte[] bytes(String name) {
    return CACHE.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = UiRoutes.class.getResourceAsStream(BASE + n)) {
            if (in == null) throw ApiException.notFound("no such file: " + n);
            return in.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  public static String resource(String name) {
    return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
  }
}
