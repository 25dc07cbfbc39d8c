package io.sluice.local.db;

import io.sluice.local.LocalStackException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for the metadata database: Debian's packaged server when it is installed
 * ({@link PostgresBinaries}), else zonky's embedded binaries. The cluster lives in one directory,
 * created with {@code initdb} on first use and kept across restarts; clients on loopback log in
 * with a password ({@code scram-sha-256}), and the database {@code sluice} exists.
 *
 * {@snippet :
 * try (PostgresServer pg = PostgresServer.start(dir, 9095, "sluice", password, Map.of())) {
 *   JdbcStore store = JdbcStore.open(pg.jdbcUrl(), pg.user(), pg.password(), 4);
 * }
 * }
 */
public final class PostgresServer implements AutoCloseable {
  /** The database the metadata store uses. */
  public static final String DATABASE = "sluice";

  private final Path dir;
  private final int port;
  private final String user;
  private final String password;
  private final PostgresBinaries debian;
  private final EmbeddedPostgres embedded;
  private final boolean throwAway;
  private final Thread stopOnExit;
  private boolean stopped;

  private PostgresServer(
      Path dir,
      int port,
      String user,
      String password,
      PostgresBinaries debian,
      EmbeddedPostgres embedded,
      boolean throwAway) {
    this.dir = dir;
    this.port = port;
    this.user = user;
    this.password = password;
    this.debian = debian;
    this.embedded = embedded;
    this.throwAway = throwAway;
    // why: a JVM that ends without close() must not leave a server behind
    this.stopOnExit = new Thread(this::stopQuietly, "postgres-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Starts the cluster in {@code dir} (creating it on first use) on {@code port}, with {@code user}
   * as its superuser and the database {@code sluice}.
   *
   * @param settings server settings ({@code -c key=value}) beyond the defaults
   * @throws LocalStackException when the server does not start
   */
  public static PostgresServer start(
      Path dir, int port, String user, String password, Map<String, String> settings) {
    return start(dir, port, user, password, settings, false);
  }

  /**
   * A fresh server on a free loopback port with {@code fsync=off} (never for data to keep), deleted
   * with its directory on {@link #close()}; for tests.
   */
  public static PostgresServer throwAway(Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>(Map.of("fsync", "off"));
    all.putAll(settings);
    LocalStackException last = null;
    // why: the free port is picked before the server binds it; another process may take it
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Path dir = Files.createTempDirectory("sluice-pg-");
        return start(dir, freePort(), "postgres", "postgres", all, true);
      } catch (LocalStackException e) {
        last = e;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw last;
  }

  private static PostgresServer start(
      Path dir,
      int port,
      String user,
      String password,
      Map<String, String> settings,
      boolean throwAway) {
    try {
      Files.createDirectories(dir);
      PostgresServer pg =
          PostgresBinaries.debian().isPresent()
              ? startDebian(
                  PostgresBinaries.debian().get(), dir, port, user, password, settings, throwAway)
              : startEmbedded(dir, port, user, password, settings, throwAway);
      pg.createDatabaseIfMissing(DATABASE);
      return pg;
    } catch (IOException | SQLException e) {
      if (throwAway) deleteTree(dir);
      throw new LocalStackException(
          "PostgreSQL did not start on port " + port + ": " + e.getMessage(), e);
    }
  }

  private static PostgresServer startDebian(
      PostgresBinaries bin,
      Path dir,
      int port,
      String user,
      String password,
      Map<String, String> settings,
      boolean throwAway)
      throws IOException {
    bin.initIfMissing(dir, user, password);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("listen_addresses", "127.0.0.1");
    all.put("unix_socket_directories", dir.toString());
    all.putAll(settings);
    bin.start(dir, port, all);
    return new PostgresServer(dir, port, user, password, bin, null, throwAway);
  }

  private static PostgresServer startEmbedded(
      Path dir,
      int port,
      String user,
      String password,
      Map<String, String> settings,
      boolean throwAway)
      throws IOException, SQLException {
    Path data = dir.resolve("data");
    Path hba = dir.resolve("pg_hba.conf");
    if (!Files.exists(data.resolve("PG_VERSION"))) {
      // why: zonky's initdb trusts every client; set the passwords, then require them from now on
      try (EmbeddedPostgres first = embedded(data, port, settings).start();
          Connection c = first.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("ALTER ROLE postgres PASSWORD " + literal(password));
        if (!user.equals("postgres"))
          s.execute(
              "CREATE ROLE " + ident(user) + " LOGIN SUPERUSER PASSWORD " + literal(password));
      }
      Files.writeString(
          hba,
          "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
              + "host all all ::1/128 scram-sha-256\n");
    }
    EmbeddedPostgres pg =
        embedded(data, port, settings)
            .setServerConfig("hba_file", hba.toString())
            .setConnectConfig("password", password)
            .start();
    return new PostgresServer(dir, port, user, password, null, pg, throwAway);
  }

  private static EmbeddedPostgres.Builder embedded(
      Path data, int port, Map<String, String> settings) {
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setServerConfig("listen_addresses", "127.0.0.1");
    settings.forEach(b::setServerConfig);
    return b;
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of the database {@code sluice}. */
  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The superuser. */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Where the binaries come from: {@code debian <version>} or {@code embedded}. */
  public String origin() {
    return debian != null ? "debian " + debian.version() : "embedded";
  }

  /** Creates an empty database unless it exists. */
  public void createDatabaseIfMissing(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user, password);
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = " + literal(name));
      if (!rs.next()) s.execute("CREATE DATABASE " + ident(name));
    }
  }

  /** Stops the server (fast shutdown); a throw-away server's directory is deleted. */
  @Override
  public synchronized void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook is running or ran
    }
  }

  private synchronized void stopQuietly() {
    if (stopped) return;
    stopped = true;
    try {
      if (debian != null) debian.stop(dir);
      else embedded.close();
    } catch (IOException e) {
      System.err.println("PostgreSQL: stop failed: " + e.getMessage());
    }
    if (throwAway) deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String ident(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
