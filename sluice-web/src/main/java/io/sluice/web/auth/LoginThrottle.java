package io.sluice.web.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing, counting failed logins three ways: for one user name from one
 * address ({@link #FREE_PER_NAME_AND_ADDRESS} free failures), for one address whatever the names (a
 * spray, {@link #FREE_PER_ADDRESS}) and for one name whatever the addresses (a distributed guess,
 * {@link #FREE_PER_NAME}). Past its free failures a count refuses further attempts for a delay that
 * doubles with each failure, up to {@link #MAX_DELAY}. A successful login resets the counts of its
 * name; an address's count is only reset when its delay has run out.
 */
public final class LoginThrottle {
  static final int FREE_PER_NAME_AND_ADDRESS = 3;
  static final int FREE_PER_ADDRESS = 10;
  static final int FREE_PER_NAME = 20;
  static final Duration FIRST_DELAY = Duration.ofSeconds(1);
  static final Duration MAX_DELAY = Duration.ofMinutes(5);

  private record Failures(int count, Instant blockedUntil) {}

  private final Clock clock;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  private static String name(String username) {
    return username == null ? "" : username.toLowerCase(Locale.ROOT);
  }

  /** How long the caller must wait before trying again; empty when an attempt is allowed now. */
  public Optional<Duration> retryAfter(String username, String address) {
    Duration wait = Duration.ZERO;
    for (String key : keys(username, address)) {
      Failures f = failures.get(key);
      if (f == null || f.blockedUntil() == null) continue;
      Duration left = Duration.between(clock.instant(), f.blockedUntil());
      if (left.compareTo(wait) > 0) wait = left;
    }
    return wait.isZero() ? Optional.empty() : Optional.of(wait);
  }

  public void failed(String username, String address) {
    if (failures.size() > 100_000) failures.clear(); // why: bound memory under a spray attack
    String[] keys = keys(username, address);
    int[] free = {FREE_PER_NAME_AND_ADDRESS, FREE_PER_ADDRESS, FREE_PER_NAME};
    for (int i = 0; i < keys.length; i++) {
      int allowed = free[i];
      failures.compute(
          keys[i],
          (k, f) -> {
            int n = f == null ? 1 : f.count() + 1;
            Instant until = null;
            if (n >= allowed) {
              long factor = 1L << Math.min(20, n - allowed);
              Duration d = FIRST_DELAY.multipliedBy(factor);
              if (d.compareTo(MAX_DELAY) > 0) d = MAX_DELAY;
              until = clock.instant().plus(d);
            }
            return new Failures(n, until);
          });
    }
  }

  public void succeeded(String username, String address) {
    String[] keys = keys(username, address);
    failures.remove(keys[0]);
    failures.remove(keys[2]);
    // why: a valid account must not wipe out the address's record of a spray over other names
    failures.computeIfPresent(
        keys[1],
        (k, f) ->
            f.blockedUntil() != null && !f.blockedUntil().isAfter(clock.instant()) ? null : f);
  }

  private static String[] keys(String username, String address) {
    return new String[] {
      "name+address|" + name(username) + "|" + address,
      "address|" + address,
      "name|" + name(username)
    };
  }
}
