package io.sluice.store;

import io.sluice.core.model.Lease;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code service_lease} table, within a {@link JdbcTransaction}. */
final class JdbcLeases {
  private static final String COLUMNS =
      "name, token, owner, owner_host, owner_pid, dag_id, run_id, task_id, try_number, pid,"
          + " query_ids, acquired_at, renewed_at, expires_at";
  private final JdbcTransaction tx;

  JdbcLeases(JdbcTransaction tx) {
    this.tx = tx;
  }

  private static Lease lease(ResultSet rs) throws SQLException {
    long pid = rs.getLong("pid");
    return new Lease(
        rs.getString("name"),
        rs.getString("token"),
        rs.getString("owner"),
        rs.getString("owner_host"),
        rs.getLong("owner_pid"),
        rs.getString("dag_id"),
        rs.getString("run_id"),
        rs.getString("task_id"),
        rs.getInt("try_number"),
        rs.wasNull() ? null : pid,
        rs.getString("query_ids"),
        JdbcTransaction.instant(rs, "acquired_at"),
        JdbcTransaction.instant(rs, "renewed_at"),
        JdbcTransaction.instant(rs, "expires_at"));
  }

  Lease acquire(Lease wanted, Instant now) {
    // why: ON CONFLICT DO NOTHING instead of catching the violation, because a failed statement
    // aborts a PostgreSQL transaction; the row lock below then decides between two owners
    int inserted =
        tx.update(
            "INSERT INTO service_lease ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            values(wanted));
    if (inserted == 1) return wanted;
    Lease held =
        tx.one(
                "SELECT * FROM service_lease WHERE name = ? FOR UPDATE",
                JdbcLeases::lease,
                wanted.name())
            .orElseThrow();
    if (held.liveAt(now) && !held.token().equals(wanted.token())) return held;
    Lease next = held.takenOverBy(wanted);
    tx.update(
        "UPDATE service_lease SET token = ?, owner = ?, owner_host = ?, owner_pid = ?, dag_id = ?,"
            + " run_id = ?, task_id = ?, try_number = ?, pid = ?, query_ids = ?, acquired_at = ?,"
            + " renewed_at = ?, expires_at = ? WHERE name = ?",
        next.token(),
        next.owner(),
        next.ownerHost(),
        next.ownerPid(),
        next.dagId(),
        next.runId(),
        next.taskId(),
        next.tryNumber(),
        new JdbcTransaction.Big(next.pid()),
        next.queryIds(),
        next.acquiredAt(),
        next.renewedAt(),
        next.expiresAt(),
        next.name());
    return next;
  }

  private static Object[] values(Lease l) {
    return new Object[] {
      l.name(),
      l.token(),
      l.owner(),
      l.ownerHost(),
      l.ownerPid(),
      l.dagId(),
      l.runId(),
      l.taskId(),
      l.tryNumber(),
      new JdbcTransaction.Big(l.pid()),
      l.queryIds(),
      l.acquiredAt(),
      l.renewedAt(),
      l.expiresAt()
    };
  }

  boolean renew(
      String name, String token, Long pid, String queryIds, Instant renewedAt, Instant expiresAt) {
    return tx.update(
            "UPDATE service_lease SET pid = ?, query_ids = ?, renewed_at = ?, expires_at = ?"
                + " WHERE name = ? AND token = ?",
            new JdbcTransaction.Big(pid),
            queryIds,
            renewedAt,
            expiresAt,
            name,
            token)
        > 0;
  }

  boolean release(String name, String token) {
    return tx.update("DELETE FROM service_lease WHERE name = ? AND token = ?", name, token) > 0;
  }

  Optional<Lease> get(String name) {
    return tx.one("SELECT * FROM service_lease WHERE name = ?", JdbcLeases::lease, name);
  }

  List<Lease> list() {
    return tx.query("SELECT * FROM service_lease ORDER BY name", JdbcLeases::lease);
  }
}
