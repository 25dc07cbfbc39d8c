package io.sluice.spark.operator;

import io.sluice.api.LeaseHeldException;
import io.sluice.api.ServiceLease;
import io.sluice.api.TaskContext;
import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.launch.SparkJobProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A stream task's ownership of its job's JVM: the {@link ServiceLease} {@code stream:<job>} in the
 * metadata database. The task waits for the lease before it starts or re-attaches to the job,
 * renews it with the job's pid and query ids while it supervises, and gives the job up, untouched,
 * when it loses the lease. A process that finds the lease held by another (a second scheduler, a
 * zombie try's replacement) leaves the job alone and says who holds it.
 */
final class JobLease implements AutoCloseable {
  private static final Duration SAY_AGAIN_EVERY = Duration.ofSeconds(30);
  private final String job;
  private final ServiceLease lease;

  private JobLease(String job, ServiceLease lease) {
    this.job = job;
    this.lease = lease;
  }

  /** The lease's name for {@code job}. */
  static String name(String job) {
    return "stream:" + job;
  }

  /**
   * Takes the job's lease, waiting while another owner holds a live one (logging who, at once and
   * every 30 s) until that owner releases it or lets it expire.
   */
  static JobLease await(TaskContext ctx, String job, Duration ttl) throws InterruptedException {
    Duration poll =
        ttl.dividedBy(3).compareTo(Duration.ofSeconds(5)) > 0
            ? Duration.ofSeconds(5)
            : ttl.dividedBy(3);
    Instant said = Instant.EPOCH;
    while (true) {
      try {
        return new JobLease(job, ctx.acquireLease(name(job), ttl));
      } catch (LeaseHeldException e) {
        Instant now = ctx.clock().instant();
        if (Duration.between(said, now).compareTo(SAY_AGAIN_EVERY) >= 0) {
          ctx.log()
              .warn(
                  "the {} job is not this try's: {}; leaving it alone until that lease is"
                      + " released or expires",
                  job,
                  e.getMessage());
          said = now;
        }
        ctx.sleep(poll);
      }
    }
  }

  /**
   * The job's JVM to re-attach to: the one whose pid the lease recorded, else one its pid file
   * names (a job started before leases were kept). Only the lease holder calls this.
   */
  Optional<SparkJobProcess> attach(SluiceConfig config) {
    if (lease.pid().isPresent()) {
      Optional<SparkJobProcess> recorded =
          SparkJobProcess.attach(config, job, lease.pid().getAsLong());
      if (recorded.isPresent()) return recorded;
    }
    return SparkJobProcess.attach(config, job);
  }

  /**
   * Renews the lease with the job's pid and the query ids its progress names ({@code null} while no
   * job JVM runs).
   *
   * @throws LeaseLostException when another owner took the lease over
   */
  void keep(SparkJobProcess process, Map<String, Object> progress) {
    boolean held = process == null ? lease.renew() : lease.renew(process.pid(), queryIds(progress));
    if (!held) throw new LeaseLostException(job);
  }

  /**
   * {@code name=run_id} of each query in a progress file's content, by name; null when none has
   * started.
   */
  @SuppressWarnings("unchecked")
  static String queryIds(Map<String, Object> progress) {
    if (progress == null || !(progress.get("queries") instanceof Map<?, ?> queries)) return null;
    StringJoiner ids = new StringJoiner(",");
    new java.util.TreeMap<>((Map<String, Object>) queries)
        .forEach(
            (name, q) -> {
              if (q instanceof Map<?, ?> m && m.get("run_id") != null)
                ids.add(name + "=" + m.get("run_id"));
            });
    return ids.length() == 0 ? null : ids.toString();
  }

  @Override
  public void close() {
    lease.close();
  }

  /** The lease was taken over: the job belongs to its new owner, which this try leaves alone. */
  static final class LeaseLostException extends IllegalStateException {
    LeaseLostException(String job) {
      super(
          "the lease on the "
              + job
              + " job expired and another owner took it over; this try leaves the job to it");
    }
  }
}
