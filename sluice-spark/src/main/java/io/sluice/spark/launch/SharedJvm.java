package io.sluice.spark.launch;

import io.sluice.core.config.SluiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one local JVM that runs the continuous users and weather jobs side by side ({@code
 * spark.shared-jvm}): {@code JobMain users,weather}, one Spark session with each job's own queries,
 * checkpoints and progress file. Each job keeps its own directory, stream task and lease; the JVM's
 * pid is recorded in both jobs' {@code job.pid}, so the stream task of either job finds it, and its
 * output goes to {@code <data.dir>/streams/shared/job.log}.
 *
 * <p>The jobs share the JVM's fate: stopping or killing it stops both, and the stream task of each
 * restarts it. The first task to start it starts both jobs; the other attaches to it.
 */
public final class SharedJvm {
  /** The continuous jobs a shared JVM runs, in the order it starts them. */
  public static final List<String> JOBS = List.of("users", "weather");

  // why: two stream tasks of one scheduler may start at once; the file lock covers other processes
  private static final Object LOCK = new Object();

  private SharedJvm() {}

  /** The directory of the shared JVM's log and argument file. */
  public static Path directory(SluiceConfig config) {
    return config.dataDir().resolve("streams").resolve("shared");
  }

  /**
   * The JVM running {@code job} when one is alive, else a new shared JVM running {@code job} and
   * every other job of {@link #JOBS} that no live JVM runs yet (a JVM of its own when there is no
   * other); returns at once.
   */
  public static SparkJobProcess start(SluiceConfig config, String job) {
    if (!JOBS.contains(job)) return SparkJobProcess.start(config, job, List.of());
    Path home = directory(config);
    synchronized (LOCK) {
      try {
        Files.createDirectories(home);
        try (FileChannel channel =
                FileChannel.open(
                    home.resolve("start.lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          Optional<SparkJobProcess> running = SparkJobProcess.attach(config, job);
          if (running.isPresent()) return running.get();
          List<String> jobs = new ArrayList<>();
          for (String j : JOBS)
            if (j.equals(job) || SparkJobProcess.attach(config, j).isEmpty()) jobs.add(j);
          // why: a job whose partner runs in a JVM of its own (`sluice spark run`) runs alone
          return jobs.size() == 1
              ? SparkJobProcess.start(config, job, List.of())
              : SparkJobProcess.launch(config, jobs, List.of(), home, job);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the shared Spark JVM", e);
      }
    }
  }
}
