package io.sluice.local.db;

import io.sluice.local.LocalStackException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.engine.Constants;
import org.h2.tools.Server;

/**
 * The embedded metadata database: H2 files under one folder, served over H2's TCP protocol so that
 * the stack, the scheduler and {@code sluice} commands in other processes share one database.
 */
public final class MetadataDb implements AutoCloseable {
  private static final String DATABASE = "sluice";
  // why: the store's SQL is written for PostgreSQL; these make H2 accept it and sort NULLs alike
  private static final String OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  private final Server server;
  private final String jdbcUrl;

  private MetadataDb(Server server, String jdbcUrl) {
    this.server = server;
    this.jdbcUrl = jdbcUrl;
  }

  /** Starts the TCP server on {@code port} (loopback connections only) and checks a connection. */
  public static MetadataDb start(Path dir, int port, String user, String password) {
    Server server;
    try {
      server =
          Server.createTcpServer(
                  "-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists")
              .start();
    } catch (SQLException e) {
      throw new LocalStackException(
          "cannot start the metadata database on port " + port + ": " + e.getMessage(), e);
    }
    MetadataDb db = new MetadataDb(server, jdbcUrl(port));
    try (Connection c = DriverManager.getConnection(db.jdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    } catch (SQLException e) {
      db.close();
      throw new LocalStackException(
          "the metadata database on port " + port + " refused a connection: " + e.getMessage(), e);
    }
    return db;
  }

  /** The URL clients in any local process use. */
  public static String jdbcUrl(int port) {
    return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + DATABASE + OPTIONS;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** The H2 release, e.g. 2.5.252. */
  public static String version() {
    return Constants.VERSION;
  }

  @Override
  public void close() {
    server.stop();
  }
}
