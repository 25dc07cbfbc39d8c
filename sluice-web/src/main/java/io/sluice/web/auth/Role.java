package io.sluice.web.auth;

import io.javalin.security.RouteRole;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a user may do. Each role includes the rights of the ones below it: {@code viewer} reads,
 * {@code op} also triggers, pauses, clears and edits variables, {@code admin} also manages users.
 */
public enum Role implements RouteRole {
  VIEWER,
  OP,
  ADMIN;

  /** The lower-case name stored in the database and shown in the API. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean includes(Role other) {
    return ordinal() >= other.ordinal();
  }

  /** Parses {@code admin}, {@code op} or {@code viewer}. */
  public static Role parse(String s) {
    for (Role r : values()) if (r.id().equalsIgnoreCase(s == null ? "" : s.trim())) return r;
    throw new IllegalArgumentException(
        "unknown role '"
            + s
            + "'; expected one of "
            + Arrays.stream(values()).map(Role::id).toList());
  }
}
