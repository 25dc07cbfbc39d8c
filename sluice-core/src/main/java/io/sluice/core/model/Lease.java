package io.sluice.core.model;

import java.time.Instant;

/**
 * A row of {@code service_lease}: who owns the process a service task supervises, until when.
 *
 * @param name what the lease is on, e.g. {@code stream:users}
 * @param token unique to one acquisition; renewals and the release name it, so a holder whose lease
 *     was taken over cannot renew or release the new holder's
 * @param owner the executor (process) that holds it
 * @param ownerHost the host of that process
 * @param ownerPid the process id of that process
 * @param dagId the task instance that holds it: DAG,
 * @param runId run,
 * @param taskId task
 * @param tryNumber and try
 * @param pid the supervised process's id, null until recorded
 * @param queryIds the supervised job's query ids, null until known
 * @param acquiredAt when this owner took it
 * @param renewedAt when it was last renewed
 * @param expiresAt when it expires unless renewed; after that anyone may take it over
 */
public record Lease(
    String name,
    String token,
    String owner,
    String ownerHost,
    long ownerPid,
    String dagId,
    String runId,
    String taskId,
    int tryNumber,
    Long pid,
    String queryIds,
    Instant acquiredAt,
    Instant renewedAt,
    Instant expiresAt) {

  /** True when it has not expired at {@code now}. */
  public boolean liveAt(Instant now) {
    return expiresAt.isAfter(now);
  }

  /** Who holds it, for messages: the process and the task instance. */
  public String holder() {
    return "executor "
        + owner
        + " (pid "
        + ownerPid
        + " on "
        + ownerHost
        + "), task "
        + dagId
        + "."
        + taskId
        + " of run "
        + runId
        + " try "
        + tryNumber;
  }

  /** This lease as taken over by {@code next}: the recorded pid and query ids carry over. */
  public Lease takenOverBy(Lease next) {
    return new Lease(
        name,
        next.token,
        next.owner,
        next.ownerHost,
        next.ownerPid,
        next.dagId,
        next.runId,
        next.taskId,
        next.tryNumber,
        next.pid != null ? next.pid : pid,
        next.queryIds != null ? next.queryIds : queryIds,
        next.acquiredAt,
        next.renewedAt,
        next.expiresAt);
  }

  /** This lease renewed: the pid and query ids recorded, the expiry moved. */
  public Lease renewed(Long newPid, String newQueryIds, Instant at, Instant until) {
    return new Lease(
        name,
        token,
        owner,
        ownerHost,
        ownerPid,
        dagId,
        runId,
        taskId,
        tryNumber,
        newPid,
        newQueryIds,
        acquiredAt,
        at,
        until);
  }
}
