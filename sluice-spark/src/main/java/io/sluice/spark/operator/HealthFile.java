package io.sluice.spark.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.spark.launch.SparkJobProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream task's {@code health.json} beside its job's {@code progress.json}: the supervisor's
 * state, the job's pid, restarts, the next backoff and a copy of the job's latest progress, with
 * {@code updated_at}, when it last changed.
 *
 * <p>why: the supervisor looks at its job every second, and the job rewrites its progress once per
 * micro-batch (every 10 s per query at rest): the progress file is parsed again only when its bytes
 * changed, and {@code health.json} is written only when what it says changed. Its readers (the
 * pipeline page, {@code /metrics}) read its state, pid and restarts; none reads its time.
 */
final class HealthFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String job;
  private final Clock clock;
  private byte[] progressBytes;
  private Map<String, Object> progress;
  // why: counts the reads of the progress file, so that comparing what health.json says needs no
  // deep comparison of the progress
  private long progressReads;
  private List<Object> written;

  HealthFile(String job, Clock clock) {
    this.job = job;
    this.clock = clock;
  }

  /**
   * Writes the health of {@code process} when it differs from the last written; returns the job's
   * latest progress (null before it reported any).
   */
  Map<String, Object> update(
      SparkJobProcess process, String state, int restarts, Duration backoff) {
    return update(process.directory(), process.pid(), state, restarts, backoff);
  }

  /**
   * Writes {@code health.json} in the job's directory {@code dir} (where its {@code progress.json}
   * is) when it differs from the last written; returns the job's latest progress.
   */
  Map<String, Object> update(Path dir, long pid, String state, int restarts, Duration backoff) {
    Map<String, Object> latest = progress(dir.resolve("progress.json"));
    List<Object> content = List.of(state, pid, restarts, backoff, progressReads);
    if (content.equals(written)) return latest;
    var health = new LinkedHashMap<String, Object>();
    health.put("job", job);
    health.put("state", state);
    health.put("pid", pid);
    health.put("restarts", restarts);
    health.put("next_backoff_ms", backoff.toMillis());
    health.put("updated_at", clock.instant().toString());
    health.put("progress", latest);
    try {
      Path tmp = dir.resolve("health.json.tmp");
      JSON.writeValue(tmp.toFile(), health);
      Files.move(
          tmp,
          dir.resolve("health.json"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      written = content;
    } catch (IOException e) {
      // why: health is advisory; the supervisor must keep the job alive even on a full disk (the
      // next look writes again)
    }
    return latest;
  }

  /** The job's progress, parsed again only when the file's bytes changed since the last look. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> progress(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      bytes = null;
    } catch (IOException e) {
      return progress;
    }
    if (Arrays.equals(bytes, progressBytes)) return progress;
    try {
      progress = bytes == null ? null : JSON.readValue(bytes, Map.class);
    } catch (IOException e) {
      // why: the job replaces the file atomically, but a partial read of an older layout is
      // harmless: the last progress read stays, and the next look reads again
      return progress;
    }
    progressBytes = bytes;
    progressReads++;
    return progress;
  }
}
