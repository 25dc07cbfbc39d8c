package io.sluice.spark;

import static io.sluice.spark.JobFixture.quietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.core.jvm.ClassArchive;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.spark.launch.SparkJobProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class UsersJobRestartIT {

  private static final int MAX_RECORDS = 10_000;

  /**
   * Also starts the job JVM without and then with the job JVMs' class-data-sharing archive: the
   * first JVM finds none, the restarted one maps it, and neither loses or duplicates a row.
   */
  @Test
  void shouldNotDuplicateOrLoseRowsWhenTheJobIsKilledMidStreamAndRestartsFromItsCheckpoint(
      LocalStack stack, @TempDir Path tmp) throws Exception {
    try (JobFixture f = new JobFixture(stack, "users-restart")) {
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      JobFixture.SteadyUsers producer = f.steadyUsers(MAX_RECORDS);
      Path archive = SparkJobProcess.classArchive(f.config).file();
      // why: the archive of this build's classpath may be left by an earlier test's job JVM
      Files.deleteIfExists(archive);
      SparkJobProcess first = f.startJob("users");
      f.awaitJob(
          first,
          "the queries to start",
          Duration.ofSeconds(240),
          () -> java.nio.file.Files.exists(first.progressFile()));
      producer.start();
      f.awaitJob(
          first,
          "the first rows",
          Duration.ofSeconds(240),
          () ->
              quietly(() -> f.count(table), 0L) > 0 && quietly(() -> f.lakeCount("users"), 0L) > 0);
      assertThat(mappedFiles(first)).doesNotContain(archive.toString());
      first.kill();
      assertThat(first.isAlive()).isFalse();

      writeClassArchive(f, tmp);
      assertThat(archive).isNotEmptyFile();
      SparkJobProcess second = f.startJob("users");
      // why: what was produced while no job ran can only reach the tables through the restarted job
      int n = producer.stop();
      f.awaitExactlyUsers(second, n, Duration.ofSeconds(300));
      assertThat(
              f.lake().read().parquet(Lake.path(f.config, "users")).select("id").distinct().count())
          .isEqualTo(n);
      assertThat(mappedFiles(second)).contains(archive.toString());
    }
  }

  /**
   * Writes the job JVMs' archive, as a job JVM would once idle, unless the first JVM did: a JVM on
   * the job's classpath and options that runs {@code JobMain} without arguments (it prints its
   * usage) and writes the classes it loaded at exit.
   */
  private static void writeClassArchive(JobFixture f, Path tmp) throws Exception {
    ClassArchive archive = SparkJobProcess.classArchive(f.config);
    if (archive.exists()) return;
    Path argFile = tmp.resolve("java.args");
    SparkJobProcess.writeClasspath(argFile);
    List<String> command = new ArrayList<>();
    command.add(SparkJobProcess.javaExecutable());
    command.addAll(SparkJobProcess.jvmOptions(f.config));
    command.addAll(List.of(archive.jvmFlag(), "-Xlog:cds*=error", "@" + argFile));
    command.add(SparkJobProcess.MAIN_CLASS);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isEqualTo(2);
    archive.keepIfWritten();
  }

  /** The files a running JVM has mapped into memory (a class-data archive among them). */
  private static String mappedFiles(SparkJobProcess job) throws Exception {
    return Files.readString(Path.of("/proc", Long.toString(job.pid()), "maps"));
  }
}
