package io.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepared statements of the queries H2 does not keep in its query cache, kept open per physical
 * connection.
 *
 * <p>H2 keeps parsed statements in a per-session query cache ({@code QUERY_CACHE_SIZE}) but leaves
 * out queries with {@code FOR UPDATE} and {@code UNION}, so it parses the run lock, the claims and
 * the dispatch's limits again on each {@code prepareStatement}: a quarter of the engine's CPU in a
 * chain of tasks on H2 (see docs/benchmarks.md, "Profiles"). A statement kept open is parsed once
 * per connection. They are prepared on the physical connection behind the pool's proxy, which would
 * otherwise close them when the connection goes back to the pool, and dropped with their connection
 * once the pool closes it.
 */
final class UncachedQueries {
  private static final int PER_CONNECTION = 32;

  private final Map<Connection, Map<String, PreparedStatement>> byConnection = new HashMap<>();

  /** Whether a query is one H2 would parse on every prepare. */
  static boolean uncached(String sql) {
    return sql.contains(" FOR UPDATE") || sql.contains(" UNION ");
  }

  /**
   * The open statement for {@code sql} on the physical connection behind {@code pooled}; the caller
   * binds every parameter, closes its result set, and does not close the statement.
   */
  PreparedStatement prepare(Connection pooled, String sql) throws SQLException {
    Connection raw = pooled.unwrap(Connection.class);
    Map<String, PreparedStatement> statements;
    synchronized (byConnection) {
      statements = byConnection.get(raw);
      if (statements == null) {
        dropClosedConnections();
        statements = new Lru();
        byConnection.put(raw, statements);
      }
    }
    // why: a physical connection serves one transaction at a time, so its map needs no lock
    PreparedStatement ps = statements.get(sql);
    if (ps == null || ps.isClosed()) {
      ps = raw.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** Forgets and closes the statement of {@code sql}, after it failed. */
  void forget(Connection pooled, String sql) {
    try {
      Connection raw = pooled.unwrap(Connection.class);
      Map<String, PreparedStatement> statements;
      synchronized (byConnection) {
        statements = byConnection.get(raw);
      }
      PreparedStatement ps = statements == null ? null : statements.remove(sql);
      if (ps != null) ps.close();
    } catch (SQLException ignored) {
      // why: the statement is forgotten either way; a broken connection is the pool's to close
    }
  }

  private void dropClosedConnections() {
    for (Iterator<Connection> it = byConnection.keySet().iterator(); it.hasNext(); ) {
      try {
        if (it.next().isClosed()) it.remove();
      } catch (SQLException e) {
        it.remove();
      }
    }
  }

  /** A connection's statements, the least recently used closed beyond {@link #PER_CONNECTION}. */
  private static final class Lru extends LinkedHashMap<String, PreparedStatement> {
    Lru() {
      super(16, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= PER_CONNECTION) return false;
      try {
        eldest.getValue().close();
      } catch (SQLException ignored) {
        // why: closing an unused statement can only fail with its connection, which the pool
        // handles
      }
      return true;
    }
  }
}
