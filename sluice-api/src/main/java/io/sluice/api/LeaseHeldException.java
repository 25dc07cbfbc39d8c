package io.sluice.api;

import java.time.Instant;

/**
 * Thrown by {@link TaskContext#acquireLease} when another owner holds the lease and it has not
 * expired: the service it is on belongs to that owner. The message says who holds it and until
 * when.
 */
public class LeaseHeldException extends Exception {
  private final String holder;
  private final Instant expiresAt;

  public LeaseHeldException(String name, String holder, Instant expiresAt) {
    super(name + " is supervised by " + holder + " (lease valid until " + expiresAt + ")");
    this.holder = holder;
    this.expiresAt = expiresAt;
  }

  /** Who holds the lease: its process and task. */
  public String holder() {
    return holder;
  }

  /** When the lease expires unless its holder renews it. */
  public Instant expiresAt() {
    return expiresAt;
  }
}
