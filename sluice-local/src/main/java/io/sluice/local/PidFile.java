package io.sluice.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process id in a file under {@code <dataDir>/run}, so that other {@code sluice} processes find
 * the stack and its Cassandra nodes.
 */
public record PidFile(Path path) {
  /** The stack process ({@code sluice stack up}). */
  public static PidFile stack(Path dataDir) {
    return new PidFile(dataDir.resolve("run").resolve("stack.pid"));
  }

  /** The Cassandra child JVM (the first node of a ring). */
  public static PidFile cassandra(Path dataDir) {
    return cassandra(dataDir, 1);
  }

  /** The child JVM of Cassandra node {@code id} (1-based) of a ring. */
  public static PidFile cassandra(Path dataDir, int id) {
    String name = id == 1 ? "cassandra.pid" : "cassandra-" + id + ".pid";
    return new PidFile(dataDir.resolve("run").resolve(name));
  }

  public void write(long pid) {
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, pid + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /** The recorded pid, if the file exists and holds a number. */
  public Optional<Long> pid() {
    try {
      return Optional.of(Long.parseLong(Files.readString(path).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The recorded process, if it is still alive. */
  public Optional<ProcessHandle> liveProcess() {
    return pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
  }

  public void delete() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // a stale pid file is harmless: readers check that the process is alive
    }
  }

  /** Deletes the file only if it still names {@code pid}, so a newer owner keeps its file. */
  public void deleteIfOwnedBy(long pid) {
    if (pid().filter(p -> p == pid).isPresent()) delete();
  }
}
