package io.sluice.web.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.sluice.web.api.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The streaming jobs under {@code <data dir>/streams}: per query, the job's progress ({@code
 * progress.json}, written by the job) and its supervision ({@code health.json}, written by the
 * {@code stream} task's supervisor whenever its state, pid, restarts or the job's progress change).
 * Restarts come from {@code health.json} only, so that the REST API, {@code /metrics} and the file
 * always agree.
 */
final class StreamJobs {
  private static final Pattern SUBSCRIBE = Pattern.compile("Subscribe\\[([^\\]]+)\\]");

  private StreamJobs() {}

  /** One row per query of every job that has reported progress. */
  static List<Map<String, Object>> read(Path dir) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> jobs = Files.newDirectoryStream(dir)) {
      for (Path job : jobs) {
        JsonNode progress = readJson(job.resolve("progress.json"));
        if (progress.isMissingNode()) continue;
        JsonNode health = readJson(job.resolve("health.json"));
        String jobName = progress.path("job").asText(job.getFileName().toString());
        var queries = progress.path("queries").fields();
        while (queries.hasNext())
          out.add(row(jobName, queries.next().getValue(), progress, health));
      }
    } catch (IOException e) {
      // why: the folder may vanish between the check and the listing; no jobs then
    }
    return out;
  }

  private static Map<String, Object> row(
      String job, JsonNode q, JsonNode progress, JsonNode health) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("job", job);
    m.put("query", q.path("name").asText());
    m.put("status", q.path("status").asText("unknown"));
    m.put("batch_id", q.path("batch_id").isMissingNode() ? null : q.path("batch_id").asLong());
    m.put("input_rows_per_second", q.path("input_rows_per_second").asDouble(0));
    m.put("processed_rows_per_second", q.path("processed_rows_per_second").asDouble(0));
    m.put("num_input_rows", q.path("num_input_rows").asLong(0));
    m.put("lag", q.path("lag").isMissingNode() ? null : q.path("lag").asLong());
    m.put("batch_duration_ms", q.path("batch_duration_ms").asLong(0));
    m.put("last_progress_at", q.path("timestamp").asText(null));
    m.put("restarts", health.path("restarts").asLong(0));
    m.put("supervisor_state", health.path("state").asText(null));
    JsonNode pid = health.has("pid") ? health.path("pid") : progress.path("pid");
    m.put("pid", pid.isMissingNode() ? null : pid.asLong());
    m.put("updated_at", progress.path("updated_at").asText(null));
    if (q.has("error")) m.put("error", q.path("error").asText());
    List<String> topics = new ArrayList<>();
    var ends = q.path("end_offsets").fieldNames();
    while (ends.hasNext()) {
      Matcher mt = SUBSCRIBE.matcher(ends.next());
      if (mt.find()) for (String t : mt.group(1).split(",")) topics.add(t.trim());
    }
    m.put("topics", topics);
    return m;
  }

  /** The file's JSON, or a missing node when it is absent or being replaced. */
  private static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) return MissingNode.getInstance();
    try {
      return Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      return MissingNode.getInstance(); // why: written atomically, but may vanish meanwhile
    }
  }
}
