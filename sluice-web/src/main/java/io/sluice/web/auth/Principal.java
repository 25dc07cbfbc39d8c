package io.sluice.web.auth;

/**
 * Who sent a request and how they proved it.
 *
 * @param session the browser session, or null for HTTP Basic and API tokens
 */
public record Principal(String username, Role role, String method, Sessions.Session session) {
  public boolean can(Role needed) {
    return role.includes(needed);
  }
}
