package io.sluice.web.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one line on the logger {@code sluice.audit} for every failed login, for every
 * state-changing request (who, from where, what, and the status it got), refused ones included, and
 * for every change a {@code sluice} command makes to users, connections and variables.
 */
public final class Audit {
  private static final Logger LOG = LoggerFactory.getLogger("sluice.audit");

  private Audit() {}

  static void loginFailed(String username, String address, String why) {
    LOG.warn("login failed: user={} address={} reason={}", quote(username), address, why);
  }

  /** The after-handler: logs a state change with the caller it was made by, if any. */
  public static void after(Context ctx) {
    HandlerType m = ctx.method();
    if (m == HandlerType.GET || m == HandlerType.HEAD || m == HandlerType.OPTIONS) return;
    Principal p = ctx.attribute(Auth.PRINCIPAL);
    LOG.info(
        "{} {} status={} user={} role={} auth={} address={}",
        m,
        ctx.path(),
        ctx.statusCode(),
        p == null ? "-" : quote(p.username()),
        p == null ? "-" : p.role().id(),
        p == null ? "-" : p.method(),
        ctx.ip());
  }

  /**
   * Logs a change made by a {@code sluice} command, e.g. {@code command("users delete", "bob")}:
   * the operating-system user who ran it stands in for the caller.
   */
  public static void command(String action, String target) {
    LOG.info(
        "{} target={} by={} via=cli",
        action,
        quote(target),
        quote(System.getProperty("user.name")));
  }

  // why: a user name is attacker-chosen text; quoted and escaped it cannot forge a log line
  private static String quote(String s) {
    if (s == null) return "-";
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}
