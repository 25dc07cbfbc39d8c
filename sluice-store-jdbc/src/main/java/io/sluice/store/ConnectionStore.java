package io.sluice.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.Connection;
import io.sluice.core.secrets.SecretBox;
import io.sluice.core.service.ConnectionRepository;
import io.sluice.core.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Connections in the metadata database, as {@code sluice connections} and tasks see them. The
 * password and the extras are encrypted at rest with a {@link SecretBox}; everything else is plain
 * so that listings need no key. Thread-safe.
 */
public final class ConnectionStore implements ConnectionRepository {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource dataSource;
  private final SecretBox box;

  public ConnectionStore(DataSource dataSource, SecretBox box) {
    this.dataSource = dataSource;
    this.box = box;
  }

  /** Adds or replaces a connection. */
  public void put(Connection c, String description) {
    String extra;
    try {
      extra = c.extra().isEmpty() ? null : box.encrypt(JSON.writeValueAsString(c.extra()));
    } catch (Exception e) {
      throw new IllegalArgumentException("extra of " + c.connId() + " is not serialisable", e);
    }
    run(
        "DELETE FROM connection WHERE conn_id = ?",
        ps -> {
          ps.setString(1, c.connId());
        },
        "INSERT INTO connection (conn_id, conn_type, description, host, port, login, password_enc, schema_name, extra_enc, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ps -> {
          ps.setString(1, c.connId());
          ps.setString(2, c.type());
          ps.setString(3, description);
          ps.setString(4, c.host());
          if (c.port() == null) ps.setNull(5, Types.INTEGER);
          else ps.setInt(5, c.port());
          ps.setString(6, c.login());
          ps.setString(7, box.encrypt(c.password()));
          ps.setString(8, c.schema());
          ps.setString(9, extra);
          ps.setTimestamp(10, Timestamp.from(Instant.now()));
        });
  }

  /** The connection, decrypted; empty when there is none. */
  public Optional<Connection> find(String connId) {
    List<Connection> found = query("SELECT * FROM connection WHERE conn_id = ?", connId);
    return found.stream().findFirst();
  }

  /** Every connection, decrypted, by id. */
  public List<Connection> list() {
    return query("SELECT * FROM connection ORDER BY conn_id", null);
  }

  /** The description of a connection, or empty. */
  public Optional<String> description(String connId) {
    try (var c = dataSource.getConnection();
        var ps = c.prepareStatement("SELECT description FROM connection WHERE conn_id = ?")) {
      ps.setString(1, connId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read connection " + connId, e);
    }
  }

  /** Deletes a connection; returns false when there was none. */
  public boolean delete(String connId) {
    try (var c = dataSource.getConnection();
        var ps = c.prepareStatement("DELETE FROM connection WHERE conn_id = ?")) {
      ps.setString(1, connId);
      int n = ps.executeUpdate();
      if (!c.getAutoCommit()) c.commit();
      return n > 0;
    } catch (SQLException e) {
      throw new StoreException("cannot delete connection " + connId, e);
    }
  }

  private List<Connection> query(String sql, String arg) {
    List<Connection> out = new ArrayList<>();
    try (var c = dataSource.getConnection();
        var ps = c.prepareStatement(sql)) {
      if (arg != null) ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read connections", e);
    }
    return out;
  }

  private Connection read(ResultSet rs) throws SQLException {
    int port = rs.getInt("port");
    Map<String, String> extra = Map.of();
    String extraEnc = rs.getString("extra_enc");
    if (extraEnc != null) {
      try {
        extra = JSON.readValue(box.decrypt(extraEnc), new TypeReference<Map<String, String>>() {});
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new StoreException(
            "extra of connection " + rs.getString("conn_id") + " is damaged", e);
      }
    }
    return new Connection(
        rs.getString("conn_id"),
        rs.getString("conn_type"),
        rs.getString("host"),
        rs.wasNull() && port == 0 ? null : (Integer) port,
        rs.getString("login"),
        box.decrypt(rs.getString("password_enc")),
        rs.getString("schema_name"),
        extra);
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private void run(String sql1, Binder b1, String sql2, Binder b2) {
    try (var c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (var p1 = c.prepareStatement(sql1);
          var p2 = c.prepareStatement(sql2)) {
        b1.bind(p1);
        p1.executeUpdate();
        b2.bind(p2);
        p2.executeUpdate();
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new StoreException("cannot store the connection", e);
    }
  }
}
