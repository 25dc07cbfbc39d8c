package io.sluice.api;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A service task's ownership, in the metadata database, of the process it supervises (a streaming
 * job's JVM). Only the holder starts, re-attaches to or stops that process; whoever else finds the
 * lease live leaves the process alone. The holder renews it while it supervises; when the holder
 * dies, the lease expires and the next try of the task takes it over, with the process id the old
 * holder recorded, which is how a restarted scheduler re-attaches to a job that kept running.
 *
 * <p>Obtained with {@link TaskContext#acquireLease}; closing it releases it.
 */
public interface ServiceLease extends AutoCloseable {
  /** What the lease is on, e.g. {@code stream:users}. */
  String name();

  /**
   * The process id last recorded on this lease, by this holder or by the one before it; empty
   * before any was recorded.
   */
  OptionalLong pid();

  /** The query ids last recorded on this lease, if any. */
  Optional<String> queryIds();

  /**
   * Records the supervised process's id and its query ids (null when not known yet) and extends the
   * lease. Returns false when the lease is no longer held: it expired and another owner took it
   * over, so the caller must stop supervising and leave the process alone.
   */
  boolean renew(long pid, String queryIds);

  /**
   * Extends the lease, keeping what it records (while the process is being started or restarted).
   * Returns false when the lease is no longer held.
   */
  boolean renew();

  /** Releases the lease if still held: the next owner may take it at once. */
  @Override
  void close();
}
