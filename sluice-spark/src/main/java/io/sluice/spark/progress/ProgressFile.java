package io.sluice.spark.progress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON files a job JVM leaves under {@code <data.dir>/streams/<job>/}: {@code progress.json}
 * (each query's latest micro-batch, rewritten atomically) and {@code summary.json} (what a bounded
 * run wrote). Readers never see a half-written file.
 */
public final class ProgressFile {
  public static final String PROGRESS = "progress.json";
  public static final String SUMMARY = "summary.json";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ProgressFile() {}

  public static void write(Path file, JsonNode json) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static ObjectNode summary(String job, Map<String, Long> counts, boolean succeeded) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("job", job);
    root.put("succeeded", succeeded);
    root.put("finished_at", java.time.Instant.now().toString());
    ObjectNode rows = root.putObject("rows");
    counts.forEach(rows::put);
    return root;
  }

  /**
   * Records not yet read: the sum over partitions of latest minus end offset, from Spark's offset
   * JSON ({@code {"topic":{"0":42}}}); -1 when either is unknown.
   */
  public static long lag(String endOffsetJson, String latestOffsetJson) {
    if (endOffsetJson == null || latestOffsetJson == null) return -1;
    try {
      JsonNode end = MAPPER.readTree(endOffsetJson);
      JsonNode latest = MAPPER.readTree(latestOffsetJson);
      long lag = 0;
      for (Iterator<Map.Entry<String, JsonNode>> topics = latest.fields(); topics.hasNext(); ) {
        var topic = topics.next();
        for (Iterator<Map.Entry<String, JsonNode>> parts = topic.getValue().fields();
            parts.hasNext(); ) {
          var part = parts.next();
          long done = end.path(topic.getKey()).path(part.getKey()).asLong(0);
          lag += Math.max(0, part.getValue().asLong() - done);
        }
      }
      return lag;
    } catch (IOException e) {
      return -1;
    }
  }
}
