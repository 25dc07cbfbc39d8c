package io.sluice.store;

import io.sluice.core.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Statements over one JDBC connection in one transaction, and how their parameters are bound and
 * their rows read; the first of the layers that make {@link JdbcTransaction}.
 */
abstract class JdbcStatements {
  final Connection c;
  final JdbcStore.Dialect dialect;
  private final UncachedQueries uncached;

  /**
   * @param uncached where the queries H2 does not cache stay prepared; null to prepare each anew
   */
  JdbcStatements(Connection c, JdbcStore.Dialect dialect, UncachedQueries uncached) {
    this.c = c;
    this.dialect = dialect;
    this.uncached = uncached;
  }

  @FunctionalInterface
  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  <T> List<T> query(String sql, Mapper<T> mapper, Object... params) {
    if (uncached != null && UncachedQueries.uncached(sql))
      return uncachedQuery(sql, mapper, params);
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      return run(ps, mapper, params);
    } catch (SQLException e) {
      throw new StoreException("query failed [" + sql + "]", e);
    }
  }

  private <T> List<T> uncachedQuery(String sql, Mapper<T> mapper, Object... params) {
    try {
      return run(uncached.prepare(c, sql), mapper, params);
    } catch (SQLException e) {
      uncached.forget(c, sql);
      throw new StoreException("query failed [" + sql + "]", e);
    }
  }

  private static <T> List<T> run(PreparedStatement ps, Mapper<T> mapper, Object... params)
      throws SQLException {
    bind(ps, params);
    try (ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) out.add(mapper.map(rs));
      return out;
    }
  }

  <T> Optional<T> one(String sql, Mapper<T> mapper, Object... params) {
    List<T> l = query(sql, mapper, params);
    return l.isEmpty() ? Optional.empty() : Optional.ofNullable(l.get(0));
  }

  int update(String sql, Object... params) {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("update failed [" + sql + "]", e);
    }
  }

  static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant t) ps.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
      else if (p instanceof Ts t) {
        if (t.value == null) ps.setNull(i + 1, Types.TIMESTAMP_WITH_TIMEZONE);
        else ps.setObject(i + 1, t.value.atOffset(ZoneOffset.UTC));
      } else if (p instanceof Big b) {
        if (b.value == null) ps.setNull(i + 1, Types.BIGINT);
        else ps.setLong(i + 1, b.value);
      } else if (p == null) ps.setNull(i + 1, Types.VARCHAR);
      else ps.setObject(i + 1, p);
    }
  }

  /** A nullable timestamp parameter (a bare null would be bound as text). */
  record Ts(Instant value) {}

  /** A nullable BIGINT parameter. */
  record Big(Long value) {}

  static Ts ts(Instant i) {
    return new Ts(i);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  JdbcStore.Dialect dialect() {
    return dialect;
  }
}
