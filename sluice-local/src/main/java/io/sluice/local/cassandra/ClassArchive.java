package io.sluice.local.cassandra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * An AppCDS archive of the classes Cassandra loads, which saves seconds of every start after the
 * first. The first run writes it at exit ({@code -XX:ArchiveClassesAtExit}) to a private file that
 * is moved into place once the node has stopped, so nodes running side by side never share a
 * half-written archive; later runs map it ({@code -XX:SharedArchiveFile}). It is keyed by the JDK
 * and classpath, and lives in the user's cache ({@code ~/.cache/sluice/cds}): it is derived data,
 * shared by every data directory and test run. A stale or unreadable archive is ignored by the JVM.
 */
final class ClassArchive {
  private final Path archive;
  private final Path pending;

  private ClassArchive(Path archive, Path pending) {
    this.archive = archive;
    this.pending = pending;
  }

  static ClassArchive forClasspath(List<String> classpath) {
    Path dir = cacheDir().resolve("cds");
    String key =
        hash(
            Jdk17.javaExecutable()
                + "\n"
                + System.getProperty("java.version")
                + "\n"
                + String.join("\n", classpath));
    Path archive = dir.resolve("cassandra-" + key + ".jsa");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return new ClassArchive(null, null);
    }
    if (Files.isReadable(archive)) return new ClassArchive(archive, null);
    return new ClassArchive(
        archive, dir.resolve("cassandra-" + key + "." + UUID.randomUUID() + ".tmp"));
  }

  /** The JVM flag that uses or writes the archive. */
  String jvmFlag() {
    if (archive == null) return "-Xshare:auto";
    return pending == null
        ? "-XX:SharedArchiveFile=" + archive
        : "-XX:ArchiveClassesAtExit=" + pending;
  }

  /** After the node stopped: publishes the archive it wrote, if any. */
  void keepIfWritten() {
    if (pending == null) return;
    try {
      if (Files.exists(pending) && Files.size(pending) > 0 && !Files.exists(archive)) {
        Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.deleteIfExists(pending);
    } catch (IOException ignored) {
      // the next start writes a new one
    }
  }

  private static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("sluice");
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
