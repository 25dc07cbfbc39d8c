package io.sluice.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.launch.SparkJobProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code io.sluice.spark.LakeCounts} in a Spark JVM (the CLI has no Spark classes) and returns
 * the committed rows of a lake dataset per {@code run_id}. Blocks for the seconds a local Spark
 * session takes; its output goes to {@code <data dir>/audit/lake-counts-<dataset>.log}.
 */
public final class LakeCountsProcess {
  static final String MAIN_CLASS = "io.sluice.spark.LakeCounts";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LakeCountsProcess() {}

  /**
   * Rows per run of {@code dataset} ({@code users}); empty when the lake has none yet.
   *
   * @throws IllegalStateException when the Spark JVM fails or outlives {@code timeout}
   */
  public static Map<String, Long> count(SluiceConfig config, String dataset, Duration timeout) {
    Path dir = config.dataDir().resolve("audit");
    Path out = resultFile(config, dataset);
    Path log = dir.resolve("lake-counts-" + dataset + ".log");
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(out);
      ProcessBuilder pb =
          SparkJobProcess.sparkJvm(
              config,
              dir.resolve("lake-counts.args"),
              List.of(),
              MAIN_CLASS,
              List.of(dataset, out.toString()));
      pb.redirectErrorStream(true);
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      boolean ended;
      try {
        ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while counting the lake", e);
      }
      if (!ended) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "counting the lake took longer than " + timeout.toSeconds() + " s; see " + log);
      }
      if (p.exitValue() != 0 || !Files.exists(out))
        throw new IllegalStateException(
            "counting the lake failed (exit " + p.exitValue() + "); see " + log + lastError(log));
      return read(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot count the lake: " + e.getMessage(), e);
    }
  }

  /** Where the last count of {@code dataset} is kept (JSON, as {@code LakeCounts} writes it). */
  static Path resultFile(SluiceConfig config, String dataset) {
    return config.dataDir().resolve("audit").resolve("lake-counts-" + dataset + ".json");
  }

  /** The rows per run of a count that {@code LakeCounts} wrote to {@code file}. */
  static Map<String, Long> read(Path file) throws IOException {
    JsonNode result = JSON.readTree(file.toFile());
    Map<String, Long> counts = new TreeMap<>();
    result
        .path("counts")
        .fields()
        .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
    return counts;
  }

  /** The log's last line that names an exception, so the one-line error says why. */
  private static String lastError(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i);
        if (l.contains("Exception") || l.startsWith("error:")) return ": " + l.strip();
      }
    } catch (IOException | UncheckedIOException e) {
      // the log path is in the message already
    }
    return "";
  }
}
