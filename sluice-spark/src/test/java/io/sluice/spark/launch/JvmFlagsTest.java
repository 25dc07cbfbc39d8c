package io.sluice.spark.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.jvm.ClassArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmFlagsTest {
  @TempDir Path dir;

  @Test
  void matchesTheOptionsSparksOwnLauncherSets() {
    assertThat(JvmFlags.SPARK_MODULE_OPTIONS)
        .containsExactlyInAnyOrderElementsOf(List.of(JavaModuleOptions.defaultModuleOptionArray()));
  }

  @Test
  void theJobClasspathListsSparkAndTheConnectors() throws Exception {
    String cp = SparkJobProcess.classpath();
    assertThat(cp).contains("spark-sql_2.13").contains("hadoop-aws").contains("java-driver-core");
  }

  @Test
  void theFirstJobJvmRecordsWhatItsArchiveNeedsAndLaterOnesMapIt() throws Exception {
    List<String> classpath = List.of(Files.writeString(dir.resolve("job.jar"), "x").toString());
    ClassArchive none = ClassArchive.of(dir, JvmFlags.JOB_ARCHIVE, "java", List.of(), classpath);
    assertThat(JvmFlags.classArchive(none, 0.5))
        .containsExactly(
            "-Xshare:auto",
            "-XX:+RecordDynamicDumpInfo",
            "-Xlog:cds*=error",
            "-D" + ClassArchive.DUMP_PROPERTY + "=" + none.file());

    assertThat(JvmFlags.classArchive(none, 20.0)).as("a saturated machine").isEmpty();

    Files.writeString(none.file(), "jsa");
    ClassArchive written = ClassArchive.of(dir, JvmFlags.JOB_ARCHIVE, "java", List.of(), classpath);
    assertThat(JvmFlags.classArchive(written, 20.0))
        .containsExactly("-Xshare:auto", "-XX:SharedArchiveFile=" + none.file());
  }

  @Test
  void aJobOnClassDirectoriesGetsNoClassArchive() throws Exception {
    List<String> classpath = List.of(Files.createDirectories(dir.resolve("classes")).toString());
    assertThat(
            JvmFlags.classArchive(
                ClassArchive.of(dir, JvmFlags.JOB_ARCHIVE, "java", List.of(), classpath), 0.5))
        .isEmpty();
  }
}
