package io.sluice.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.execution.streaming.checkpointing.CheckpointFileManager;

/**
 * A checkpoint or file-sink log file written straight under its name, on a file system whose output
 * streams can be aborted (S3A: the object appears in one PUT when the stream closes, and an aborted
 * stream leaves nothing), as Spark's own {@code AbortableStreamBasedCheckpointFileManager} of its
 * cloud module writes them. Without overwriting, closing fails if the name exists, with Hadoop's
 * {@link FileAlreadyExistsException}, as Spark's rename without overwrite fails.
 *
 * <p>why: Spark's manager for other file systems writes a temporary file and renames it; on S3A a
 * rename is a copy and a delete after probes of both names, about ten requests for each batch of a
 * lake query's commit log ({@code _spark_metadata}), and the largest part of the lake query's own
 * CPU in a flight recording of the stack at rest.
 */
final class AbortableCheckpointFile extends CheckpointFileManager.CancellableFSDataOutputStream {
  private final FSDataOutputStream out;
  private final FileSystem fs;
  private final Path path;
  private final boolean overwrite;
  private boolean done;

  private AbortableCheckpointFile(
      FSDataOutputStream out, FileSystem fs, Path path, boolean overwrite) {
    super(out);
    this.out = out;
    this.fs = fs;
    this.path = path;
    this.overwrite = overwrite;
  }

  /** True when {@code fs} writes {@code path} through streams that can be aborted. */
  static boolean supported(FileSystem fs, Path path) {
    try {
      return fs.hasPathCapability(path, CommonPathCapabilities.ABORTABLE_STREAM);
    } catch (IOException e) {
      return false;
    }
  }

  static AbortableCheckpointFile create(FileSystem fs, Path path, boolean overwrite) {
    try {
      // why: the name is checked once, when the file is complete (close), not also here
      FSDataOutputStreamBuilder<?, ?> builder = fs.createFile(path);
      builder.overwrite(true);
      builder.opt("fs.s3a.create.performance", true);
      FSDataOutputStream out = (FSDataOutputStream) builder.build();
      return new AbortableCheckpointFile(out, fs, path, overwrite);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (done) return;
    done = true;
    if (!overwrite && fs.exists(path)) {
      out.abort();
      throw new FileAlreadyExistsException(path + " exists");
    }
    super.close();
  }

  @Override
  public synchronized void cancel() {
    if (done) return;
    done = true;
    try {
      out.abort();
      super.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
