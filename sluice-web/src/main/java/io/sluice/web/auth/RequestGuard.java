package io.sluice.web.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.sluice.web.api.ApiException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rule every state-changing request must pass, whatever its authentication (session, HTTP
 * Basic, API token), checked in a before-handler so that every route, present and future, gets it:
 *
 * <ul>
 *   <li>no method override ({@code X-HTTP-Method-Override} and its variants): a GET stays a GET;
 *   <li>no browser context from another site: a foreign or {@code null} {@code Origin}, a foreign
 *       {@code Referer} or a {@code Sec-Fetch-Site} other than {@code same-origin} is refused
 *       (403);
 *   <li>a body is JSON: any other {@code Content-Type} (a form, {@code text/plain}), or a body
 *       without one, is refused (415).
 * </ul>
 *
 * Together these close cross-site request forgery: a page on another site can only send a form or a
 * "simple" request, which browsers label with its origin and never with {@code application/json}.
 */
public final class RequestGuard {
  private static final Set<HandlerType> SAFE =
      Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
  private static final List<String> OVERRIDE_HEADERS =
      List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

  private RequestGuard() {}

  /** The before-handler: throws a 400, 403 or 415 {@link ApiException} for a refused request. */
  public static void check(Context ctx) {
    for (String h : OVERRIDE_HEADERS)
      if (ctx.header(h) != null)
        throw ApiException.badRequest("method override (" + h + ") is not supported");
    if (ctx.queryParam("_method") != null)
      throw ApiException.badRequest("method override (_method) is not supported");
    if (SAFE.contains(ctx.method())) return;
    checkSameOrigin(ctx);
    checkJsonBody(ctx);
  }

  /** Refuses a request a browser sent on behalf of another site. */
  static void checkSameOrigin(Context ctx) {
    String fetchSite = ctx.header("Sec-Fetch-Site");
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none"))
      throw new ApiException(403, "cross-site request refused (Sec-Fetch-Site: " + fetchSite + ")");
    String host = ctx.header("Host");
    String origin = ctx.header("Origin");
    if (origin != null) {
      if (!sameHost(origin, host))
        throw new ApiException(403, "cross-origin request refused (Origin: " + origin + ")");
      return;
    }
    String referer = ctx.header("Referer");
    if (referer != null && !sameHost(referer, host))
      throw new ApiException(403, "cross-origin request refused (Referer)");
  }

  private static boolean sameHost(String url, String host) {
    if (host == null || url.equals("null")) return false;
    try {
      URI u = URI.create(url.trim());
      String authority = u.getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(host.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Refuses a state change whose body is not declared as JSON. */
  private static void checkJsonBody(Context ctx) {
    String type = ctx.header("Content-Type");
    if (type == null) {
      if (ctx.bodyAsBytes().length > 0)
        throw new ApiException(415, "a request body needs Content-Type: application/json");
      return;
    }
    String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json"))
      throw new ApiException(
          415, "Content-Type '" + mime + "' is not accepted; send application/json");
  }
}
