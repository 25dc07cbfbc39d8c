package io.sluice.core.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassArchiveTest {
  private static final List<String> OPTIONS = List.of("-Xmx768m", "-XX:+UseSerialGC");

  @TempDir Path dir;

  @Test
  void firstJvmWritesTheArchiveAtExitAndLaterOnesMapIt() throws Exception {
    Path jar = Files.writeString(dir.resolve("node.jar"), "classes");
    ClassArchive first =
        ClassArchive.of(dir, "cassandra", "java", OPTIONS, List.of(jar.toString()));
    assertThat(first.jvmFlag()).startsWith("-XX:ArchiveClassesAtExit=");
    // the JVM writes the file the flag names at its exit
    Files.writeString(Path.of(first.jvmFlag().substring(first.jvmFlag().indexOf('=') + 1)), "jsa");
    first.keepIfWritten();

    ClassArchive next = ClassArchive.of(dir, "cassandra", "java", OPTIONS, List.of(jar.toString()));
    assertThat(next.jvmFlag()).isEqualTo("-XX:SharedArchiveFile=" + first.file());
    assertThat(next.exists()).isTrue();
  }

  @Test
  void aJvmWithoutAnArchiveIsToldWhereToDumpOne() throws Exception {
    Path jar = Files.writeString(dir.resolve("job.jar"), "classes");
    ClassArchive first =
        ClassArchive.of(dir, "spark-job", "java", OPTIONS, List.of(jar.toString()));
    assertThat(first.dumpOnRequestFlags())
        .contains(
            "-XX:+RecordDynamicDumpInfo", "-D" + ClassArchive.DUMP_PROPERTY + "=" + first.file());

    Files.writeString(first.file(), "jsa");
    ClassArchive next = ClassArchive.of(dir, "spark-job", "java", OPTIONS, List.of(jar.toString()));
    assertThat(next.dumpOnRequestFlags()).containsExactly("-XX:SharedArchiveFile=" + first.file());
  }

  @Test
  void aClasspathWithADirectoryGetsNoArchive() throws Exception {
    Path jar = Files.writeString(dir.resolve("job.jar"), "classes");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    ClassArchive a =
        ClassArchive.of(
            dir, "spark-job", "java", OPTIONS, List.of(classes.toString(), jar.toString()));
    assertThat(a.dumpOnRequestFlags()).isEmpty();
  }

  @Test
  void aRebuiltJarOrOtherOptionsGetANewArchive() throws Exception {
    Path jar = Files.writeString(dir.resolve("job.jar"), "classes");
    List<String> cp = List.of(jar.toString());
    Path before = ClassArchive.of(dir, "spark-job", "java", OPTIONS, cp).file();
    assertThat(ClassArchive.of(dir, "spark-job", "java", List.of("-Xmx2g"), cp).file())
        .isNotEqualTo(before);
    Files.setLastModifiedTime(
        jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
    assertThat(ClassArchive.of(dir, "spark-job", "java", OPTIONS, cp).file()).isNotEqualTo(before);
  }

  @Test
  void keepsOnlyTheNewestArchivesOfOneName() throws Exception {
    Path other = Files.writeString(dir.resolve("cassandra-0000000000000000.jsa"), "jsa");
    for (int i = 0; i < ClassArchive.KEEP + 2; i++) {
      Path jar = Files.writeString(dir.resolve("job" + i + ".jar"), "classes");
      ClassArchive a = ClassArchive.of(dir, "spark-job", "java", OPTIONS, List.of(jar.toString()));
      Files.writeString(Path.of(a.jvmFlag().substring(a.jvmFlag().indexOf('=') + 1)), "jsa");
      a.keepIfWritten();
      Files.setLastModifiedTime(a.file(), FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("spark-job-")).count())
          .isEqualTo(ClassArchive.KEEP);
    }
    assertThat(other).exists();
  }

  @Test
  void dumpNowDoesNothingInAJvmNotStartedToDump() {
    assertThat(ClassArchive.dumpNow()).isEmpty();
  }
}
