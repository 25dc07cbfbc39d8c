package io.sluice.spark.cluster;

import io.sluice.spark.launch.SparkJobProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Spark without a distribution: the jars of Sluice's Spark classpath (resolved at build time) minus
 * Sluice's own code, which a job brings in its shaded jar. It stands in for {@code
 * $SPARK_HOME/jars} both on the command lines of the master, worker and spark-submit JVMs and as a
 * directory ({@link #home}) whose {@code jars/} the worker puts on its executors' classpath.
 */
final class SparkRuntime {
  private SparkRuntime() {}

  /** The Spark jars: every jar on the job classpath that is not a Sluice module. */
  static List<String> jars() {
    try {
      List<String> jars = new ArrayList<>();
      for (String entry : SparkJobProcess.classpath().split(File.pathSeparator)) {
        Path p = Path.of(entry);
        String name = p.getFileName().toString();
        // why: Sluice's classes reach the driver and executors only through the job jar
        if (!name.endsWith(".jar") || name.startsWith("sluice-")) continue;
        jars.add(entry);
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Spark classpath", e);
    }
  }

  /**
   * Creates (or refreshes) {@code dir} as a Spark home: {@code jars/} links to every Spark jar, as
   * the worker's {@code WorkerCommandBuilder} expects.
   */
  static Path home(Path dir) {
    Path jarsDir = dir.resolve("jars");
    try {
      Files.createDirectories(jarsDir);
      Set<String> names = new HashSet<>();
      for (String jar : jars()) {
        Path target = Path.of(jar);
        String name = target.getFileName().toString();
        if (!names.add(name)) name = names.size() + "-" + name;
        Path link = jarsDir.resolve(name);
        if (Files.isSymbolicLink(link) || Files.exists(link)) Files.delete(link);
        Files.createSymbolicLink(link, target);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a Spark home in " + dir, e);
    }
  }

  /** Writes {@code -cp "<jars>"} to {@code argFile}, for {@code java @argFile}. */
  static Path classpathArgFile(Path argFile) {
    try {
      Files.createDirectories(argFile.getParent());
      Files.writeString(
          argFile,
          "-cp \"" + String.join(File.pathSeparator, jars()).replace("\\", "\\\\") + "\"\n");
      return argFile;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
