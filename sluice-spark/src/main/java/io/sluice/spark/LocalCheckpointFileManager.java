package io.sluice.spark;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.execution.streaming.checkpointing.CheckpointFileManager;
import org.apache.spark.sql.execution.streaming.checkpointing.FileContextBasedCheckpointFileManager;
import org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager;

/**
 * The checkpoint files of streaming queries ({@code spark.sql.streaming.checkpointFileManagerClass}
 * of every job session): on the local disk written with {@code java.nio}, elsewhere (S3A) through
 * Spark's own managers, except that where output streams can be aborted (S3A) files are written
 * straight under their names ({@link AbortableCheckpointFile}). Each local file is written to a
 * temporary file, forced to disk, and linked under its name, which fails if the name exists unless
 * overwriting was asked for: the same atomic, no-clobber write as Spark's, durable besides.
 *
 * <p>why: Hadoop's local file system, without its native library, starts a {@code chmod} and
 * several {@code readlink} processes for every file it writes (counted with strace: about nine per
 * write); a micro-batch writes two, its offsets and its commit, on the query's thread, so the
 * processes' start-up was part of every batch's fixed cost, hundreds of milliseconds on a busy
 * machine.
 */
public final class LocalCheckpointFileManager implements CheckpointFileManager {
  private final Path root;
  private final CheckpointFileManager remote;
  private final RawLocalFileSystem raw;
  // why: set where files can be written straight under their names (AbortableCheckpointFile)
  private final FileSystem abortable;

  /** The constructor Spark calls, with the checkpoint path and the session's Hadoop settings. */
  public LocalCheckpointFileManager(Path path, Configuration conf) {
    FileSystem fs = io(() -> path.getFileSystem(conf));
    this.root = fs.makeQualified(path);
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      this.raw = (RawLocalFileSystem) io(() -> FileSystem.getLocal(conf)).getRaw();
      this.remote = null;
      this.abortable = null;
    } else {
      this.raw = null;
      this.remote = spark(path, conf);
      this.abortable = AbortableCheckpointFile.supported(fs, root) ? fs : null;
    }
  }

  /** Spark's choice for a file system other than the local one. */
  private static CheckpointFileManager spark(Path path, Configuration conf) {
    try {
      return new FileContextBasedCheckpointFileManager(path, conf);
    } catch (RuntimeException e) {
      return new FileSystemBasedCheckpointFileManager(path, conf);
    }
  }

  @Override
  public CancellableFSDataOutputStream createAtomic(Path path, boolean overwriteIfPossible) {
    if (abortable != null)
      return AbortableCheckpointFile.create(abortable, path, overwriteIfPossible);
    if (remote != null) return remote.createAtomic(path, overwriteIfPossible);
    java.nio.file.Path target = local(path);
    java.nio.file.Path temp =
        target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      return new AtomicFile(new FileOutputStream(temp.toFile()), temp, target, overwriteIfPossible);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file written under a temporary name and linked under its own when closed. */
  private static final class AtomicFile extends CancellableFSDataOutputStream {
    private final FileOutputStream out;
    private final java.nio.file.Path temp;
    private final java.nio.file.Path target;
    private final boolean overwrite;
    private boolean done;

    AtomicFile(
        FileOutputStream out,
        java.nio.file.Path temp,
        java.nio.file.Path target,
        boolean overwrite) {
      super(out);
      this.out = out;
      this.temp = temp;
      this.target = target;
      this.overwrite = overwrite;
    }

    @Override
    public synchronized void close() throws IOException {
      if (done) return;
      done = true;
      try {
        flush();
        out.getChannel().force(true);
        super.close();
        if (overwrite) {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
          Files.deleteIfExists(crc(target));
        } else {
          // why: a hard link fails if the name exists, in one step: a second writer of the same
          // batch fails as Spark's rename without overwrite makes it fail, with Hadoop's exception
          try {
            Files.createLink(target, temp);
          } catch (FileAlreadyExistsException e) {
            throw new org.apache.hadoop.fs.FileAlreadyExistsException(target.toString());
          } catch (UnsupportedOperationException e) {
            Files.move(temp, target);
          }
        }
      } finally {
        Files.deleteIfExists(temp);
      }
    }

    @Override
    public synchronized void cancel() {
      if (done) return;
      done = true;
      try {
        super.close();
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public FSDataInputStream open(Path path) {
    return remote != null ? remote.open(path) : io(() -> raw.open(qualified(path)));
  }

  @Override
  public FileStatus[] list(Path path, PathFilter filter) {
    return remote != null ? remote.list(path, filter) : io(() -> listLocal(path, filter));
  }

  private FileStatus[] listLocal(Path path, PathFilter filter) throws IOException {
    Path dir = qualified(path);
    List<FileStatus> found = new ArrayList<>();
    try (DirectoryStream<java.nio.file.Path> entries = Files.newDirectoryStream(local(dir))) {
      for (java.nio.file.Path p : entries) {
        Path child = new Path(dir, p.getFileName().toString());
        if (!filter.accept(child)) continue;
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue;
        }
        found.add(
            new FileStatus(
                a.size(), a.isDirectory(), 1, 32L << 20, a.lastModifiedTime().toMillis(), child));
      }
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException(dir.toString());
    }
    return found.toArray(FileStatus[]::new);
  }

  @Override
  public void mkdirs(Path path) {
    if (remote != null) remote.mkdirs(path);
    else if (!Files.isDirectory(local(path))) io(() -> Files.createDirectories(local(path)));
  }

  @Override
  public boolean exists(Path path) {
    return remote != null ? remote.exists(path) : Files.exists(local(path));
  }

  @Override
  public void delete(Path path) {
    if (remote != null) {
      remote.delete(path);
      return;
    }
    java.nio.file.Path p = local(path);
    if (Files.isDirectory(p)) {
      io(() -> raw.delete(qualified(path), true));
      return;
    }
    io(() -> Files.deleteIfExists(p));
    // why: files that Hadoop's checksummed file system wrote before have a .crc beside them
    io(() -> Files.deleteIfExists(crc(p)));
  }

  @Override
  public boolean isLocal() {
    return remote == null || remote.isLocal();
  }

  @Override
  public Path createCheckpointDirectory() {
    if (remote != null) return remote.createCheckpointDirectory();
    io(() -> Files.createDirectories(local(root)));
    return root;
  }

  /** A file operation that may fail with an {@link IOException}. */
  private interface IoCall<T> {
    T call() throws IOException;
  }

  /**
   * {@code call}'s result; its {@link IOException} is thrown as it is.
   *
   * <p>why: the Scala trait declares no exceptions, and Spark catches the ones its own managers
   * throw (a {@link FileNotFoundException} is a batch not written yet), so they must not be wrapped
   */
  private static <T> T io(IoCall<T> call) {
    try {
      return call.call();
    } catch (IOException e) {
      throw LocalCheckpointFileManager.<RuntimeException>sneaky(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }

  private Path qualified(Path path) {
    return path.toUri().getScheme() == null ? raw.makeQualified(path) : path;
  }

  private java.nio.file.Path local(Path path) {
    return java.nio.file.Path.of(qualified(path).toUri().getPath());
  }

  private static java.nio.file.Path crc(java.nio.file.Path file) {
    return file.resolveSibling("." + file.getFileName() + ".crc");
  }
}
