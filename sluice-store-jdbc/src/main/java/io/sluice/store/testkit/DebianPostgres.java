package io.sluice.store.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL server from the distribution's own packages (Debian's {@code postgresql}
 * puts its server binaries in {@code /usr/lib/postgresql/<version>/bin}, off the {@code PATH}), for
 * tests of the metadata database against the server a deployment runs.
 *
 * <p>{@link #start(Map)} runs {@code initdb} in a temporary directory, starts the server on a free
 * loopback port with {@code fsync=off} (never for production) and creates the database {@code
 * sluice}; {@link #close()} stops the server and deletes the directory. As root, the server runs as
 * the {@code postgres} user through {@code runuser}, since {@code initdb} refuses root.
 *
 * <pre>{@code
 * DebianPostgres.assumeAvailable();              // in @BeforeAll: skips the class when not installed
 * try (DebianPostgres pg = DebianPostgres.start(Map.of("max_connections", "200"))) {
 *   JdbcStore store = JdbcStore.open(pg.jdbcUrl(), pg.user(), pg.password(), 4);
 * }
 * }</pre>
 */
public final class DebianPostgres implements AutoCloseable {
  /** Why a test that needs the binaries was skipped. */
  public static final String MISSING =
      "Debian's PostgreSQL server binaries are not installed (no /usr/lib/postgresql/*/bin/initdb);"
          + " `apt-get install -y postgresql` (.ci/install does) or set SLUICE_PG_BIN";

  private static final String DATABASE = "sluice";
  private static final String USER = "postgres";

  private final Path bin;
  private final Path dir;
  private final List<String> asServerUser;
  private final int port;
  private final Thread stopOnExit;
  private boolean stopped;

  private DebianPostgres(Path bin, Path dir, List<String> asServerUser, int port) {
    this.bin = bin;
    this.dir = dir;
    this.asServerUser = asServerUser;
    this.port = port;
    // why: a test JVM that ends without close() must not leave a server behind
    this.stopOnExit = new Thread(this::stopQuietly, "debian-postgres-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * The server binaries: {@code $SLUICE_PG_BIN}, or the newest {@code /usr/lib/postgresql/N/bin}
   * with {@code initdb} and {@code pg_ctl}.
   */
  public static Optional<Path> binaries() {
    String override = System.getenv("SLUICE_PG_BIN");
    if (override != null && !override.isBlank()) {
      Path p = Paths.get(override);
      return hasServer(p) ? Optional.of(p) : Optional.empty();
    }
    Path root = Paths.get("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) return Optional.empty();
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .sorted(
              Comparator.comparingDouble((Path v) -> Double.parseDouble(v.getFileName().toString()))
                  .reversed())
          .map(v -> v.resolve("bin"))
          .filter(DebianPostgres::hasServer)
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** True when {@link #binaries()} finds a server. */
  public static boolean available() {
    return binaries().isPresent();
  }

  /**
   * Skips the calling test class or method (a JUnit assumption) when the binaries are missing, and
   * says why on standard error, since build reports show a skipped class without its reason.
   */
  public static void assumeAvailable() {
    if (available()) return;
    String caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .getCallerClass()
            .getSimpleName();
    System.err.println(caller + " skipped: " + MISSING);
    Assumptions.assumeTrue(false, MISSING);
  }

  private static boolean hasServer(Path bin) {
    return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
  }

  /** Starts a fresh server with {@code fsync=off} plus {@code settings} ({@code -c key=value}). */
  public static DebianPostgres start(Map<String, String> settings) {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(MISSING));
    try {
      Path dir = Files.createTempDirectory("sluice-pg-");
      List<String> asServerUser = serverUserPrefix();
      if (!asServerUser.isEmpty()) run(List.of("chown", "-R", USER + ":" + USER, dir.toString()));
      Path data = dir.resolve("data");
      run(
          concat(
              asServerUser,
              bin.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-U",
              USER,
              "--auth=trust",
              "-E",
              "UTF8",
              "--no-sync",
              "--no-instructions"));
      Map<String, String> all = new LinkedHashMap<>();
      all.put("fsync", "off");
      all.put("listen_addresses", "127.0.0.1");
      all.put("unix_socket_directories", dir.toString());
      all.putAll(settings);
      IOException last = null;
      // why: the free port is picked before the server binds it; another process may take it
      for (int attempt = 0; attempt < 3; attempt++) {
        int port = freePort();
        StringBuilder options = new StringBuilder("-p " + port);
        all.forEach((k, v) -> options.append(" -c ").append(k).append('=').append(v));
        try {
          run(
              concat(
                  asServerUser,
                  bin.resolve("pg_ctl").toString(),
                  "-D",
                  data.toString(),
                  "-l",
                  dir.resolve("server.log").toString(),
                  "-o",
                  options.toString(),
                  "-w",
                  "-t",
                  "30",
                  "start"));
        } catch (IOException e) {
          last = e;
          continue;
        }
        DebianPostgres pg = new DebianPostgres(bin, dir, asServerUser, port);
        try {
          pg.createDatabase(DATABASE);
        } catch (SQLException e) {
          pg.close();
          throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
        return pg;
      }
      throw new UncheckedIOException("PostgreSQL did not start: " + log(dir), last);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Root runs the server as {@code postgres} (initdb refuses root); anyone else as itself. */
  private static List<String> serverUserPrefix() throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) return List.of();
    try {
      run(List.of("id", "-u", USER));
    } catch (IOException e) {
      throw new IOException("running as root and there is no '" + USER + "' user for initdb", e);
    }
    return List.of("runuser", "-u", USER, "--");
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

  /** The superuser; authentication is {@code trust}, any password is accepted. */
  public String user() {
    return USER;
  }

  public String password() {
    return "postgres";
  }

  /** Creates another empty database. */
  public void createDatabase(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user(), password());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
    }
  }

  /** Stops the server (fast shutdown) and deletes its directory. */
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
      run(
          concat(
              asServerUser,
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "fast",
              "-w",
              "stop"));
    } catch (IOException e) {
      System.err.println("DebianPostgres: stop failed: " + e.getMessage());
    }
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

  private static List<String> concat(List<String> prefix, String... rest) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(rest));
    return all;
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output;
    try {
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    if (p.exitValue() != 0)
      throw new IOException(
          String.join(" ", command) + " exited with " + p.exitValue() + ": " + output.strip());
  }

  private static String log(Path dir) {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return "(no server log)";
    }
  }
}
