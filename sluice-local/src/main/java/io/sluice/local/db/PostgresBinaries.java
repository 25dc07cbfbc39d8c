package io.sluice.local.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server binaries of the distribution's own PostgreSQL package: Debian's {@code postgresql}
 * puts them in {@code /usr/lib/postgresql/<version>/bin}, off the {@code PATH}. As root they run as
 * in a user namespace ({@code unshare -U}), since {@code initdb} refuses root.
 */
public final class PostgresBinaries {
  /** Why Debian's server cannot be used. */
  public static final String MISSING =
      "Debian's PostgreSQL server binaries are not installed (no /usr/lib/postgresql/*/bin/initdb);"
          + " `apt-get install -y postgresql` (.ci/install does) or set SLUICE_PG_BIN";

  private final Path bin;

  private PostgresBinaries(Path bin) {
    this.bin = bin;
  }

  /**
   * {@code $SLUICE_PG_BIN}, or the newest {@code /usr/lib/postgresql/N/bin} with {@code initdb} and
   * {@code pg_ctl}; empty when there is none.
   */
  public static Optional<PostgresBinaries> debian() {
    String override = System.getenv("SLUICE_PG_BIN");
    if (override != null && !override.isBlank()) {
      Path p = Paths.get(override);
      return hasServer(p) ? Optional.of(new PostgresBinaries(p)) : Optional.empty();
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
          .filter(PostgresBinaries::hasServer)
          .findFirst()
          .map(PostgresBinaries::new);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The major version, from the directory name ({@code 15}). */
  public String version() {
    return bin.getParent().getFileName().toString();
  }

  private static boolean hasServer(Path bin) {
    return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
  }

  /** Runs {@code initdb} in {@code <dir>/data} unless a cluster is there. */
  void initIfMissing(Path dir, String user, String password) throws IOException {
    Path data = dir.resolve("data");
    if (Files.exists(data.resolve("PG_VERSION"))) return;
    Path pwfile = dir.resolve("initdb.pw");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    try {
      List<String> as = asServerUser(dir);
      run(
          concat(
              as,
              bin.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-U",
              user,
              "--pwfile=" + pwfile,
              "--auth-local=trust",
              "--auth-host=scram-sha-256",
              "-E",
              "UTF8",
              "--no-instructions"));
    } finally {
      Files.deleteIfExists(pwfile);
    }
  }

  /** Starts the cluster of {@code dir} on {@code port} and waits until it accepts connections. */
  void start(Path dir, int port, Map<String, String> settings) throws IOException {
    StringBuilder options = new StringBuilder("-p " + port);
    settings.forEach((k, v) -> options.append(" -c ").append(k).append('=').append(v));
    try {
      run(
          concat(
              asServerUser(dir),
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-l",
              dir.resolve("server.log").toString(),
              "-o",
              options.toString(),
              "-w",
              "-t",
              "60",
              "start"));
    } catch (IOException e) {
      throw new IOException(e.getMessage() + "; server log: " + tail(dir.resolve("server.log")), e);
    }
  }

  /** Stops the cluster of {@code dir} (fast shutdown). */
  void stop(Path dir) throws IOException {
    run(
        concat(
            asServerUser(dir),
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-m",
            "fast",
            "-w",
            "stop"));
  }

  /**
   * As root: {@code unshare -U}, a user namespace in which the tools do not run as root, so that
   * {@code initdb} accepts them; the files stay root's, wherever the directory is.
   */
  private static List<String> asServerUser(Path dir) {
    return "root".equals(System.getProperty("user.name")) ? List.of("unshare", "-U") : List.of();
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
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
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

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no server log)";
    }
  }
}
