package io.sluice.core.engine;

import io.sluice.api.LeaseHeldException;
import io.sluice.api.ServiceLease;
import io.sluice.core.model.Lease;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A {@link ServiceLease} in the metadata database's {@code service_lease} table, held by one task
 * instance of one executor. Renewals write when the recorded pid or query ids change, or once a
 * third of the lease's time has passed, so a supervisor may renew on every tick of its loop.
 */
public final class StoreLease implements ServiceLease {
  private static final String HOST = hostName();
  private final MetadataStore store;
  private final Clock clock;
  private final Duration ttl;
  private Lease lease;
  private boolean released;

  private StoreLease(MetadataStore store, Clock clock, Duration ttl, Lease lease) {
    this.store = store;
    this.clock = clock;
    this.ttl = ttl;
    this.lease = lease;
  }

  /**
   * Takes the lease {@code name} for the task instance {@code ti} (of the executor named in it, or
   * of this process when none is).
   *
   * @throws LeaseHeldException when another holder's lease is live
   */
  public static StoreLease acquire(
      MetadataStore store, Clock clock, TaskInstance ti, String name, Duration ttl)
      throws LeaseHeldException {
    if (ttl.isNegative() || ttl.isZero())
      throw new IllegalArgumentException("a lease's time must be positive, not " + ttl);
    Instant now = clock.instant();
    long self = ProcessHandle.current().pid();
    Lease wanted =
        new Lease(
            name,
            UUID.randomUUID().toString(),
            ti.executorId() != null ? ti.executorId() : "process-" + self,
            HOST,
            self,
            ti.dagId(),
            ti.runId(),
            ti.taskId(),
            ti.tryNumber(),
            null,
            null,
            now,
            now,
            now.plus(ttl));
    Lease stored = store.inTransaction(tx -> tx.acquireLease(wanted, now));
    if (!stored.token().equals(wanted.token()))
      throw new LeaseHeldException(name, stored.holder(), stored.expiresAt());
    return new StoreLease(store, clock, ttl, stored);
  }

  @Override
  public String name() {
    return lease.name();
  }

  @Override
  public OptionalLong pid() {
    return lease.pid() == null ? OptionalLong.empty() : OptionalLong.of(lease.pid());
  }

  @Override
  public Optional<String> queryIds() {
    return Optional.ofNullable(lease.queryIds());
  }

  /** The lease as last written. */
  public Lease lease() {
    return lease;
  }

  @Override
  public boolean renew() {
    return write(lease.pid(), lease.queryIds());
  }

  @Override
  public boolean renew(long pid, String queryIds) {
    return write(pid, queryIds);
  }

  private synchronized boolean write(Long pid, String queryIds) {
    if (released) return false;
    Instant now = clock.instant();
    boolean changed =
        !Objects.equals(lease.pid(), pid) || !Objects.equals(lease.queryIds(), queryIds);
    if (!changed && Duration.between(lease.renewedAt(), now).compareTo(ttl.dividedBy(3)) < 0)
      return true;
    Instant until = now.plus(ttl);
    try {
      boolean held =
          store.inTransaction(
              tx -> tx.renewLease(lease.name(), lease.token(), pid, queryIds, now, until));
      if (!held) {
        released = true;
        return false;
      }
      lease = lease.renewed(pid, queryIds, now, until);
      return true;
    } catch (StoreException e) {
      // why: a database that is briefly away costs nothing while the lease lasts; once it has
      // expired another owner may hold it, and this one must let go
      return now.isBefore(lease.expiresAt());
    }
  }

  @Override
  public synchronized void close() {
    if (released) return;
    released = true;
    try {
      store.inTransaction(tx -> tx.releaseLease(lease.name(), lease.token()));
    } catch (StoreException e) {
      // why: a lease that cannot be released expires on its own; the next owner waits for that
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}
