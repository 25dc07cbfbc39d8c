package io.sluice.core.jvm;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * An AppCDS archive of the classes a child JVM loads (the Cassandra node, a Spark job), which saves
 * seconds of every start after the first. It is keyed by the JDK, the JVM's options and its
 * classpath, each entry with its size and modification time (a rebuilt jar gets a new archive), and
 * lives in the user's cache ({@code ~/.cache/sluice/cds}): it is derived data, shared by every data
 * directory and test run. Of the archives of a name, the newest {@link #KEEP} and those written in
 * the last hour are kept. A stale or unreadable archive is ignored by the JVM.
 *
 * <p>Two ways to write it, when there is none yet:
 *
 * <ul>
 *   <li>at exit ({@link #jvmFlag()}): the JVM writes it as it stops ({@code
 *       -XX:ArchiveClassesAtExit}) to a private file, moved into place by {@link #keepIfWritten()}
 *       once it has stopped. Fits a JVM that is stopped cleanly and soon (the Cassandra node);
 *   <li>on request ({@link #dumpOnRequestFlags()}): the JVM records what a dump needs ({@code
 *       -XX:+RecordDynamicDumpInfo}) and writes the archive itself, at a point of its choosing,
 *       with {@link #dumpNow()}. Fits a long-running JVM that is stopped by a signal whose grace
 *       ends before an exit dump would (a Spark job).
 * </ul>
 *
 * <pre>{@code
 * ClassArchive archive = ClassArchive.of("spark-job", java, options, classpath);
 * command.addAll(archive.dumpOnRequestFlags());
 * // in the child, once its work has loaded the classes of its steady state:
 * ClassArchive.dumpNow();
 * }</pre>
 */
public final class ClassArchive {
  /** Archives of one name kept in the cache; each build of a classpath writes a new one. */
  static final int KEEP = 4;

  /** The system property that tells a JVM where {@link #dumpNow()} writes its archive. */
  public static final String DUMP_PROPERTY = "sluice.class-archive";

  // why: a dump that never finished (its JVM killed) leaves its private file behind
  private static final Duration ABANDONED = Duration.ofHours(1);
  // why: checkouts side by side (each its own classpath) keep theirs while they are in use; a JVM
  // told to map a deleted archive starts without one
  private static final Duration STALE = Duration.ofHours(1);

  private static boolean dumped;

  private final Path archive;
  private final Path pending;
  private final boolean eligible;

  private ClassArchive(Path archive, Path pending, boolean eligible) {
    this.archive = archive;
    this.pending = pending;
    this.eligible = eligible;
  }

  /**
   * The archive of {@code name}'s JVMs, run by {@code javaExecutable} with {@code jvmOptions} on
   * {@code classpath}; to be written by this JVM when there is none yet.
   */
  public static ClassArchive of(
      String name, String javaExecutable, List<String> jvmOptions, List<String> classpath) {
    return of(cacheDir().resolve("cds"), name, javaExecutable, jvmOptions, classpath);
  }

  /** As {@link #of(String, String, List, List)}, with the archives in {@code dir}. */
  public static ClassArchive of(
      Path dir,
      String name,
      String javaExecutable,
      List<String> jvmOptions,
      List<String> classpath) {
    StringBuilder key =
        new StringBuilder(javaExecutable).append('\n').append(System.getProperty("java.version"));
    for (String option : jvmOptions) key.append('\n').append(option);
    for (String entry : classpath) key.append('\n').append(entry).append(' ').append(stamp(entry));
    String hash = hash(key.toString());
    Path archive = dir.resolve(name + "-" + hash + ".jsa");
    boolean eligible = onlyFiles(classpath);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      return new ClassArchive(null, null, false);
    }
    if (Files.isReadable(archive)) return new ClassArchive(archive, null, eligible);
    return new ClassArchive(archive, pendingFile(archive), eligible);
  }

  /** The archive's file, or null when the cache is not writable. */
  public Path file() {
    return archive;
  }

  /** True when the archive exists and a JVM started with this one's flags maps it. */
  public boolean exists() {
    return archive != null && pending == null;
  }

  /** The JVM flag that maps the archive, or writes it at exit. */
  public String jvmFlag() {
    if (archive == null) return "-Xshare:auto";
    return pending == null
        ? "-XX:SharedArchiveFile=" + archive
        : "-XX:ArchiveClassesAtExit=" + pending;
  }

  /**
   * The JVM flags that map the archive, or, when there is none yet, let the JVM write it with
   * {@link #dumpNow()}; none when its classpath has a directory (a dump of one ends the JVM).
   */
  public List<String> dumpOnRequestFlags() {
    if (archive == null || !eligible) return List.of();
    if (pending == null) return List.of("-XX:SharedArchiveFile=" + archive);
    return List.of(
        "-XX:+RecordDynamicDumpInfo",
        // why: the dump warns once for each class it skips (thousands for Spark), into the log
        "-Xlog:cds*=error",
        "-D" + DUMP_PROPERTY + "=" + archive);
  }

  /** After the JVM stopped: publishes the archive it wrote at exit, if any. */
  public void keepIfWritten() {
    if (pending == null) return;
    publish(pending, archive);
  }

  /** True in a JVM started to write its archive with {@link #dumpNow()}, until it has. */
  public static synchronized boolean dumpRequested() {
    String target = System.getProperty(DUMP_PROPERTY);
    return target != null && !target.isBlank() && !dumped;
  }

  /**
   * In a JVM started with {@link #dumpOnRequestFlags()} and no archive yet: writes the archive of
   * the classes loaded so far (the JVM pauses while it does) and returns it; empty in any other
   * JVM, or when the dump failed. Dumps at most once per JVM.
   */
  public static synchronized Optional<Path> dumpNow() {
    if (!dumpRequested()) return Optional.empty();
    dumped = true;
    Path archive = Path.of(System.getProperty(DUMP_PROPERTY));
    // why: a dump with a directory on the classpath ends the JVM instead of failing
    String classpath = System.getProperty("java.class.path", "");
    if (!onlyFiles(List.of(classpath.split(java.io.File.pathSeparator)))) return Optional.empty();
    Path pending = pendingFile(archive);
    try {
      ManagementFactory.getPlatformMBeanServer()
          .invoke(
              new ObjectName("com.sun.management:type=DiagnosticCommand"),
              "vmCds",
              new Object[] {new String[] {"dynamic_dump", pending.toString()}},
              new String[] {String[].class.getName()});
    } catch (JMException | RuntimeException e) {
      return Optional.empty();
    }
    return publish(pending, archive) ? Optional.of(archive) : Optional.empty();
  }

  /** Moves a written archive into place (unless another JVM was first); true when it is there. */
  private static boolean publish(Path pending, Path archive) {
    try {
      if (Files.exists(pending) && Files.size(pending) > 0 && !Files.exists(archive)) {
        Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE);
        prune(archive, KEEP);
      }
      Files.deleteIfExists(pending);
      return Files.exists(archive);
    } catch (IOException e) {
      // the next start writes a new one
      return false;
    }
  }

  /**
   * Deletes those archives of {@code archive}'s name older than an hour that are not among the
   * newest {@code keep} (every rebuilt jar keys a new archive of 50 to 200 MB; a JVM that maps a
   * deleted one keeps its mapping), and the private files of dumps abandoned an hour ago.
   */
  static void prune(Path archive, int keep) throws IOException {
    String name = archive.getFileName().toString();
    String prefix = name.substring(0, name.lastIndexOf('-') + 1);
    List<Path> archives = new ArrayList<>();
    Instant abandoned = Instant.now().minus(ABANDONED);
    try (var files = Files.list(archive.getParent())) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
        if (f.getFileName().toString().endsWith(".jsa")) archives.add(f);
        else if (modified(f) < abandoned.toEpochMilli()) Files.deleteIfExists(f);
      }
    }
    archives.sort(Comparator.comparingLong(ClassArchive::modified).reversed());
    long stale = Instant.now().minus(STALE).toEpochMilli();
    for (Path old : archives.subList(Math.min(keep, archives.size()), archives.size()))
      if (modified(old) < stale) Files.deleteIfExists(old);
  }

  private static long modified(Path f) {
    try {
      return Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      return 0L;
    }
  }

  private static Path pendingFile(Path archive) {
    String name = archive.getFileName().toString();
    return archive.resolveSibling(
        name.substring(0, name.length() - ".jsa".length()) + "." + UUID.randomUUID() + ".tmp");
  }

  /** True when no entry of {@code classpath} is a directory. */
  static boolean onlyFiles(List<String> classpath) {
    for (String entry : classpath) {
      if (!entry.isBlank() && Files.isDirectory(Path.of(entry))) return false;
    }
    return true;
  }

  private static String stamp(String entry) {
    try {
      Path p = Path.of(entry);
      return Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
    } catch (IOException | RuntimeException e) {
      return "-";
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
