package io.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.execution.streaming.checkpointing.CheckpointFileManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCheckpointFileManagerTest {
  @TempDir java.nio.file.Path dir;

  private LocalCheckpointFileManager manager() throws IOException {
    return new LocalCheckpointFileManager(new Path(dir.toUri()), new Configuration());
  }

  private static void write(CheckpointFileManager m, Path p, String text, boolean overwrite)
      throws IOException {
    var out = m.createAtomic(p, overwrite);
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.close();
  }

  private static String read(CheckpointFileManager m, Path p) throws IOException {
    try (var in = m.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void writesAtomicallyReadsListsAndDeletes() throws IOException {
    LocalCheckpointFileManager m = manager();
    Path offsets = new Path(new Path(dir.toUri()), "offsets");
    m.mkdirs(offsets);
    write(m, new Path(offsets, "0"), "v1\n{\"a\":1}", false);
    write(m, new Path(offsets, "1"), "v1\n{\"a\":2}", false);

    assertThat(read(m, new Path(offsets, "1"))).isEqualTo("v1\n{\"a\":2}");
    assertThat(m.exists(new Path(offsets, "0"))).isTrue();
    FileStatus[] files = m.list(offsets, p -> !p.getName().startsWith("."));
    assertThat(Arrays.stream(files).map(f -> f.getPath().getName()))
        .containsExactlyInAnyOrder("0", "1");
    assertThat(files[0].getLen()).isEqualTo(10);
    // no temporary file is left behind
    try (var names = Files.list(dir.resolve("offsets"))) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("0", "1");
    }

    Files.writeString(dir.resolve("offsets/.0.crc"), "old checksum");
    m.delete(new Path(offsets, "0"));
    assertThat(m.exists(new Path(offsets, "0"))).isFalse();
    assertThat(dir.resolve("offsets/.0.crc")).doesNotExist();
  }

  @Test
  void refusesToReplaceAFileUnlessAskedTo() throws IOException {
    LocalCheckpointFileManager m = manager();
    Path commit = new Path(new Path(dir.toUri()), "commits/3");
    write(m, commit, "first", false);

    assertThatThrownBy(() -> write(m, commit, "second", false))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(read(m, commit)).isEqualTo("first");

    write(m, commit, "third", true);
    assertThat(read(m, commit)).isEqualTo("third");
    try (var names = Files.list(dir.resolve("commits"))) {
      assertThat(names.map(p -> p.getFileName().toString())).containsExactly("3");
    }
  }

  @Test
  void aCancelledWriteLeavesNothing() throws IOException {
    LocalCheckpointFileManager m = manager();
    Path metadata = new Path(new Path(dir.toUri()), "metadata");
    var out = m.createAtomic(metadata, false);
    out.write(1);
    out.cancel();

    assertThat(m.exists(metadata)).isFalse();
    try (var names = Files.list(dir)) {
      assertThat(names).isEmpty();
    }
  }

  @Test
  void isWhatSparkCreatesForTheSessionsCheckpoints() throws IOException {
    Configuration conf = new Configuration();
    conf.set(
        "spark.sql.streaming.checkpointFileManagerClass",
        LocalCheckpointFileManager.class.getName());
    CheckpointFileManager m = CheckpointFileManager.create(new Path(dir.toUri()), conf);
    assertThat(m).isInstanceOf(LocalCheckpointFileManager.class);
    assertThat(m.isLocal()).isTrue();
  }
}
