package io.sluice.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, kept in memory: a restart of the web server logs everybody out. Each session
 * carries its own CSRF token, which the UI sends back in the {@code X-CSRF-Token} header, and the
 * {@link UserRepository#stamp} of its user at login, which {@link Auth} compares with the user's
 * record on every request.
 */
public final class Sessions {
  /** A logged-in browser. */
  public record Session(
      String id, String username, Role role, String csrfToken, String stamp, Instant expiresAt) {}

  private final Clock clock;
  private final Duration idleTimeout;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  public Sessions(Clock clock, Duration idleTimeout) {
    this.clock = clock;
    this.idleTimeout = idleTimeout;
  }

  public Session create(User user, String stamp) {
    sessions.values().removeIf(s -> s.expiresAt().isBefore(clock.instant()));
    Session s =
        new Session(
            Passwords.randomHex(32),
            user.username(),
            user.role(),
            Passwords.randomHex(32),
            stamp,
            clock.instant().plus(idleTimeout));
    sessions.put(s.id(), s);
    return s;
  }

  /** The live session with this id, its expiry pushed back (sliding idle timeout). */
  public Optional<Session> find(String id) {
    if (id == null) return Optional.empty();
    Session s = sessions.get(id);
    if (s == null) return Optional.empty();
    Instant now = clock.instant();
    if (s.expiresAt().isBefore(now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    Session renewed =
        new Session(
            s.id(), s.username(), s.role(), s.csrfToken(), s.stamp(), now.plus(idleTimeout));
    sessions.put(id, renewed);
    return Optional.of(renewed);
  }

  public void remove(String id) {
    if (id != null) sessions.remove(id);
  }

  /** Ends every session of a user (after a password change or deletion). */
  public void removeUser(String username) {
    sessions.values().removeIf(s -> s.username().equals(username));
  }

  public int size() {
    return sessions.size();
  }
}
