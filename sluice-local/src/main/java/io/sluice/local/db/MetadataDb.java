package io.sluice.local.db;

import io.sluice.core.secrets.EmbeddedDbLogin;
import io.sluice.local.LocalStackException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.h2.engine.Constants;
import org.h2.engine.SysProperties;
import org.h2.tools.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded metadata database: H2 files under one folder, served over H2's TCP protocol so that
 * the stack, the scheduler and {@code sluice} commands in other processes share one database. The
 * server listens on 127.0.0.1 only: H2 reads {@value #BIND_ADDRESS} once, when its classes load, so
 * {@code sluice} sets it at start-up (and this class does too, for tests that load it first).
 */
public final class MetadataDb implements AutoCloseable {
  /** H2's system property for the address its servers bind to. */
  public static final String BIND_ADDRESS = "h2.bindAddress";

  private static final Logger LOG = LoggerFactory.getLogger(MetadataDb.class);

  static {
    bindToLoopback();
  }

  private static final String DATABASE = "sluice";
  // why: the store's SQL is written for PostgreSQL; these make H2 accept it and sort NULLs alike
  private static final String OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

  private final Runnable stop;
  private final String jdbcUrl;
  private final String inProcessUrl;
  private final String description;

  private MetadataDb(Runnable stop, String jdbcUrl, String inProcessUrl, String description) {
    this.stop = stop;
    this.jdbcUrl = jdbcUrl;
    this.inProcessUrl = inProcessUrl;
    this.description = description;
  }

  /**
   * Makes H2's servers bind to 127.0.0.1, unless {@value #BIND_ADDRESS} was set already; must run
   * before any H2 class loads to take effect.
   */
  public static void bindToLoopback() {
    if (System.getProperty(BIND_ADDRESS) == null) System.setProperty(BIND_ADDRESS, "127.0.0.1");
  }

  /**
   * Starts the TCP server on {@code port} (on 127.0.0.1, loopback connections only) and checks a
   * connection with {@code user}/{@code password}; a database still on the legacy password is moved
   * to {@code password} ({@link EmbeddedDbLogin}).
   */
  public static MetadataDb start(Path dir, int port, String user, String password) {
    if (SysProperties.BIND_ADDRESS == null)
      LOG.warn(
          "The metadata database listens on every interface: H2 was loaded before {} was set;"
              + " start the JVM with -D{}=127.0.0.1",
          BIND_ADDRESS,
          BIND_ADDRESS);
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
    // why: H2 keeps one instance of a database per JVM, so a file URL to the server's own database
    // (its base directory and name, as the server resolves them) shares it without the TCP
    // round trips
    MetadataDb db =
        new MetadataDb(server::stop, jdbcUrl(port), inProcessJdbcUrl(dir), "H2 " + version());
    try {
      EmbeddedDbLogin.check(db.jdbcUrl, user, password);
    } catch (SQLException e) {
      db.close();
      throw new LocalStackException(
          "the metadata database on port " + port + " refused a connection: " + e.getMessage(), e);
    }
    return db;
  }

  /**
   * Starts the PostgreSQL cluster of {@code dir} on 127.0.0.1:{@code port} (Debian's packaged
   * server when installed, else the embedded binaries; see {@link PostgresServer}), its cluster
   * created on first use with {@code user}/{@code password} and kept across restarts.
   */
  public static MetadataDb startPostgres(Path dir, int port, String user, String password) {
    PostgresServer pg = PostgresServer.start(dir, port, user, password, Map.of());
    return new MetadataDb(pg::close, pg.jdbcUrl(), null, "PostgreSQL (" + pg.origin() + ")");
  }

  /** The URL clients in any local process use. */
  public static String jdbcUrl(int port) {
    return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + DATABASE + OPTIONS;
  }

  /**
   * The URL of the H2 database served from {@code dir} for the JVM that serves it: the same
   * database without the TCP round trips.
   */
  public static String inProcessJdbcUrl(Path dir) {
    return "jdbc:h2:file:" + dir + "/" + DATABASE + OPTIONS;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * The URL for this process: the same H2 database opened in this JVM, with no TCP round trips;
   * empty for PostgreSQL.
   */
  public Optional<String> inProcessJdbcUrl() {
    return Optional.ofNullable(inProcessUrl);
  }

  /** The H2 release, e.g. 2.5.252. */
  public static String version() {
    return Constants.VERSION;
  }

  /** What serves it: {@code H2 2.5.252} or {@code PostgreSQL (debian 15)}. */
  public String description() {
    return description;
  }

  @Override
  public void close() {
    stop.run();
  }
}
