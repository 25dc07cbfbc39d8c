package io.sluice.spark.progress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the latest progress of each of a job's queries (named {@code <job>-...}) to {@code
 * progress.json}: input and processed rows per second, batch duration, end offsets and lag behind
 * the topics' latest offsets. The orchestrator's {@code stream} task reads it for health and
 * metrics.
 */
public final class ProgressListener extends StreamingQueryListener {
  private final String job;
  private final Path file;
  private static final Logger log = LoggerFactory.getLogger(ProgressListener.class);

  private final Map<String, ObjectNode> queries = new TreeMap<>();

  public ProgressListener(String job, Path file) {
    this.job = job;
    this.file = file;
  }

  @Override
  public synchronized void onQueryStarted(QueryStartedEvent event) {
    if (!ours(event.name())) return;
    ObjectNode q = query(event.name());
    q.put("id", event.id().toString());
    q.put("run_id", event.runId().toString());
    q.put("status", "running");
    q.put("started_at", event.timestamp());
    log.info("{}: query {} started", job, event.name());
    flush();
  }

  @Override
  public synchronized void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    if (!ours(p.name())) return;
    ObjectNode q = query(p.name());
    // why: the start-up timeline (docs/benchmarks.md) reads these two lines from the job's log
    if (!q.has("batch_id")) log.info("{}: query {} ran its first batch", job, p.name());
    if (p.numInputRows() > 0 && !q.path("wrote_rows").asBoolean()) {
      q.put("wrote_rows", true);
      log.info("{}: query {} processed its first {} rows", job, p.name(), p.numInputRows());
    }
    q.put("status", "running");
    q.put("batch_id", p.batchId());
    q.put("timestamp", p.timestamp());
    q.put("num_input_rows", p.numInputRows());
    q.put("input_rows_per_second", finite(p.inputRowsPerSecond()));
    q.put("processed_rows_per_second", finite(p.processedRowsPerSecond()));
    Long total = p.durationMs().get("triggerExecution");
    q.put("batch_duration_ms", total == null ? 0 : total);
    long lag = 0;
    ObjectNode end = q.putObject("end_offsets");
    for (SourceProgress s : p.sources()) {
      if (s.endOffset() != null) end.put(s.description(), s.endOffset());
      long l = ProgressFile.lag(s.endOffset(), s.latestOffset());
      lag = l < 0 || lag < 0 ? -1 : lag + l;
    }
    q.put("lag", lag);
    flush();
  }

  @Override
  public synchronized void onQueryIdle(QueryIdleEvent event) {
    for (ObjectNode q : queries.values()) {
      if (event.runId().toString().equals(q.path("run_id").asText())) {
        q.put("idle_since", event.timestamp());
        q.put("lag", 0);
      }
    }
    flush();
  }

  @Override
  public synchronized void onQueryTerminated(QueryTerminatedEvent event) {
    for (ObjectNode q : queries.values()) {
      if (event.runId().toString().equals(q.path("run_id").asText())) {
        q.put("status", event.exception().isDefined() ? "failed" : "stopped");
        if (event.exception().isDefined()) q.put("error", event.exception().get());
      }
    }
    flush();
  }

  /** True for the queries of this listener's job ({@code <job>-...}) in a session of several. */
  private boolean ours(String name) {
    return name != null && name.startsWith(job + "-");
  }

  private ObjectNode query(String name) {
    return queries.computeIfAbsent(
        name == null ? "" : name, n -> ProgressFile.MAPPER.createObjectNode().put("name", n));
  }

  private void flush() {
    ObjectNode root = ProgressFile.MAPPER.createObjectNode();
    root.put("job", job);
    root.put("pid", ProcessHandle.current().pid());
    root.put("updated_at", Instant.now().toString());
    ObjectNode qs = root.putObject("queries");
    queries.forEach(qs::set);
    try {
      ProgressFile.write(file, root);
    } catch (RuntimeException e) {
      // why: a full disk must not stop the stream; the next progress event tries again
    }
  }

  private static double finite(double d) {
    return Double.isFinite(d) ? d : 0;
  }
}
