package io.sluice.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@link #FREE_FAILURES} failed logins for the same user name
 * from the same address, further attempts are refused until a delay has passed; the delay doubles
 * with each failure, up to {@link #MAX_DELAY}. A successful login resets the count.
 */
public final class LoginThrottle {
  static final int FREE_FAILURES = 3;
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofMinutes(5);

  private record Failures(int count, Instant blockedUntil) {}

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  private static String key(String username, String address) {
    return (username == null ? "" : username.toLowerCase(java.util.Locale.ROOT)) + "|" + address;
  }

  /** How long the caller must wait before trying again; empty when an attempt is allowed now. */
  public Optional<Duration> retryAfter(String username, String address) {
    Failures f = failures.get(key(username, address));
    if (f == null || f.blockedUntil() == null) return Optional.empty();
    Duration left = Duration.between(clock.instant(), f.blockedUntil());
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  public void failed(String username, String address) {
    if (failures.size() > 100_000) failures.clear(); // why: bound memory under a spray attack
    failures.compute(
        key(username, address),
        (k, f) -> {
          int n = f == null ? 1 : f.count() + 1;
          Instant until = null;
          if (n >= FREE_FAILURES) {
            long factor = 1L << Math.min(20, n - FREE_FAILURES);
            Duration d = FIRST_DELAY.multipliedBy(factor);
            if (d.compareTo(MAX_DELAY) > 0) d = MAX_DELAY;
            until = clock.instant().plus(d);
          }
          return new Failures(n, until);
        });
  }

  public void succeeded(String username, String address) {
    failures.remove(key(username, address));
  }
}
