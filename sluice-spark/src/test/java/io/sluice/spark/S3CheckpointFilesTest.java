package io.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.local.s3.S3Server;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.execution.streaming.checkpointing.CheckpointFileManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint manager's files on S3A (s3proxy), written straight under their names. */
class S3CheckpointFilesTest {
  @TempDir java.nio.file.Path dir;
  private S3Server s3;
  private Configuration conf;
  private final Path log = new Path("s3a://lake/users/_spark_metadata");

  @BeforeEach
  void start() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    s3 = S3Server.start(dir, port, "key", "secret-key", "lake");
    conf = new Configuration();
    conf.set("fs.s3a.endpoint", s3.endpoint().toString());
    conf.set("fs.s3a.endpoint.region", "us-east-1");
    conf.set("fs.s3a.path.style.access", "true");
    conf.set("fs.s3a.connection.ssl.enabled", "false");
    conf.set(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    conf.set("fs.s3a.access.key", "key");
    conf.set("fs.s3a.secret.key", "secret-key");
    conf.set("fs.s3a.impl.disable.cache", "true");
  }

  @AfterEach
  void stop() {
    s3.close();
  }

  private static CheckpointFileManager.CancellableFSDataOutputStream open(
      CheckpointFileManager m, Path p, String text, boolean overwrite) throws IOException {
    var out = m.createAtomic(p, overwrite);
    out.write(text.getBytes(StandardCharsets.UTF_8));
    return out;
  }

  private static String read(CheckpointFileManager m, Path p) throws IOException {
    try (var in = m.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void writesStraightUnderTheNameAndNeverOverTheBatchOfAnotherWriter() throws IOException {
    FileSystem fs = log.getFileSystem(conf);
    assertThat(AbortableCheckpointFile.supported(fs, log)).isTrue();
    CheckpointFileManager m = new LocalCheckpointFileManager(log, conf);
    Path batch = new Path(log, "0");

    var first = open(m, batch, "v1\nfirst", false);
    var second = open(m, batch, "v1\nsecond", false);
    assertThat(m.exists(batch)).as("nothing visible before close").isFalse();
    first.close();
    assertThatThrownBy(second::close).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(read(m, batch)).isEqualTo("v1\nfirst");

    open(m, batch, "v1\nreplaced", true).close();
    assertThat(read(m, batch)).isEqualTo("v1\nreplaced");

    Path cancelled = new Path(log, "1");
    open(m, cancelled, "v1\npartial", false).cancel();
    assertThat(m.exists(cancelled)).isFalse();
    assertThat(fs.listStatus(log)).extracting(s -> s.getPath().getName()).containsExactly("0");
  }
}
