package io.sluice.web.metrics;

import io.javalin.config.RoutesConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import io.sluice.store.JdbcStore;
import io.sluice.web.auth.Auth;
import io.sluice.web.auth.Role;
import io.sluice.web.pipeline.PipelineStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus metrics behind {@code /metrics}: scheduler (runs and task instances by state,
 * queue depth, in-flight tasks, hand-off latency between dependent tasks), Kafka (end offsets,
 * produce rates, consumer-group lag, dead letters), Spark (rows per second, lag, batch id), sinks
 * (rows, write rate, freshness) and the JVM. Store-based values are read at scrape time.
 */
public final class SluiceMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MetadataStore store;
  private final DagBag bag;
  private final PipelineStatus pipeline;
  private final MultiGauge runStates;
  private final MultiGauge taskStates;
  private final MultiGauge handoff;
  private final MultiGauge topicEnd;
  private final MultiGauge topicRate;
  private final MultiGauge groupLag;
  private final MultiGauge streamRate;
  private final MultiGauge streamLag;
  private final MultiGauge streamBatch;
  private final MultiGauge streamRestarts;
  private final MultiGauge sinkRows;
  private final MultiGauge sinkRate;
  private final MultiGauge sinkFreshness;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private volatile double queueDepth;
  private volatile double dlqCount;

  /**
   * @param bag the DAG definitions, for the hand-off latency
   * @param scheduler this process's scheduler, or null when it runs none
   */
  public SluiceMetrics(
      MetadataStore store, DagBag bag, EngineLoop scheduler, PipelineStatus pipeline) {
    this.store = store;
    this.bag = bag;
    this.pipeline = pipeline;
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    runStates =
        MultiGauge.builder("sluice.dag.runs").description("DAG runs by state").register(registry);
    taskStates =
        MultiGauge.builder("sluice.task.instances")
            .description("Task instances by state")
            .register(registry);
    handoff =
        MultiGauge.builder("sluice.scheduler.handoff.latency")
            .baseUnit("seconds")
            .description(
                "Time from an upstream task's end to its downstream task's start, over recent runs")
            .register(registry);
    Gauge.builder("sluice.scheduler.queue.depth", () -> queueDepth)
        .description("Task instances scheduled or queued, waiting for an executor slot")
        .register(registry);
    if (scheduler != null)
      Gauge.builder("sluice.executor.in.flight", scheduler, EngineLoop::inFlight)
          .description("Task instances handed to this process's executor and not finished")
          .register(registry);
    topicEnd =
        MultiGauge.builder("sluice.kafka.topic.end.offset")
            .description("Sum of end offsets")
            .register(registry);
    topicRate =
        MultiGauge.builder("sluice.kafka.topic.produce.rate")
            .description("Records per second appended")
            .register(registry);
    groupLag =
        MultiGauge.builder("sluice.kafka.consumer.lag")
            .description("Records not yet committed by a consumer group")
            .register(registry);
    Gauge.builder("sluice.dlq.records", () -> dlqCount)
        .description("Records in the dead-letter topic")
        .register(registry);
    streamRate =
        MultiGauge.builder("sluice.spark.processed.rows.rate")
            .description("Rows per second processed by a streaming query")
            .register(registry);
    streamLag =
        MultiGauge.builder("sluice.spark.lag")
            .description("Records behind the latest topic offsets")
            .register(registry);
    streamBatch =
        MultiGauge.builder("sluice.spark.batch.id")
            .description("Latest micro-batch id")
            .register(registry);
    streamRestarts =
        MultiGauge.builder("sluice.spark.job.restarts")
            .description(
                "Restarts of a streaming job by its supervisor since the stream task started"
                    + " (health.json's counter)")
            .register(registry);
    sinkRows =
        MultiGauge.builder("sluice.sink.rows")
            .description("Rows in a sink table")
            .register(registry);
    sinkRate =
        MultiGauge.builder("sluice.sink.write.rate")
            .description("Rows per second written to a sink table")
            .register(registry);
    sinkFreshness =
        MultiGauge.builder("sluice.sink.freshness")
            .baseUnit("seconds")
            .description("Age of the latest row in a sink table")
            .register(registry);
  }

  public void register(RoutesConfig r) {
    r.get(
        "/metrics",
        Auth.require(
            Role.VIEWER,
            ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(scrape())));
  }

  /** Refreshes the store- and pipeline-based values, then renders the Prometheus text format. */
  public synchronized String scrape() {
    sampleStore();
    samplePipeline();
    return registry.scrape();
  }

  private void sampleStore() {
    Map<String, Long> runs = new java.util.TreeMap<>();
    for (DagRunState s : DagRunState.values()) runs.put(s.dbValue(), 0L);
    Map<String, Long> tasks = new java.util.TreeMap<>();
    for (TaskState s : TaskState.values()) tasks.put(s.dbValue(), 0L);
    if (store instanceof JdbcStore jdbc) {
      // why: StoreTransaction has no per-state counts; read-only SQL against the engine's tables
      try (Connection c = jdbc.dataSource().getConnection();
          Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT state, COUNT(*) FROM dag_run GROUP BY state")) {
          while (rs.next()) runs.put(rs.getString(1), rs.getLong(2));
        }
        try (ResultSet rs =
            st.executeQuery("SELECT state, COUNT(*) FROM task_instance GROUP BY state")) {
          while (rs.next()) tasks.put(rs.getString(1), rs.getLong(2));
        }
        c.rollback();
      } catch (java.sql.SQLException e) {
        // leave the zeros; /health reports the database
      }
    }
    runStates.register(
        runs.entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey()), e.getValue()))
            .toList(),
        true);
    taskStates.register(
        tasks.entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey()), e.getValue()))
            .toList(),
        true);
    queueDepth = tasks.getOrDefault("scheduled", 0L) + tasks.getOrDefault("queued", 0L);
    List<Double> gaps = handoffLatencies(10);
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    if (!gaps.isEmpty()) {
      gaps.sort(null);
      rows.add(MultiGauge.Row.of(Tags.of("quantile", "0.5"), quantile(gaps, 0.5)));
      rows.add(MultiGauge.Row.of(Tags.of("quantile", "0.99"), quantile(gaps, 0.99)));
      rows.add(MultiGauge.Row.of(Tags.of("quantile", "1.0"), gaps.get(gaps.size() - 1)));
    }
    handoff.register(rows, true);
  }

  /** Gaps between each task's start and the latest end of its upstream tasks, in recent runs. */
  public List<Double> handoffLatencies(int runsPerDag) {
    List<Double> out = new ArrayList<>();
    for (var entry : bag.entries()) {
      Dag dag = entry.dag();
      List<DagRun> runs = store.inTransaction(tx -> tx.runs(dag.dagId(), runsPerDag));
      for (DagRun run : runs) {
        Map<String, TaskInstance> byId = new java.util.HashMap<>();
        for (TaskInstance t : store.inTransaction(tx -> tx.taskInstances(dag.dagId(), run.runId())))
          byId.put(t.taskId(), t);
        for (TaskInstance t : byId.values()) {
          if (t.startDate() == null || !dag.tasks().containsKey(t.taskId())) continue;
          var ups = dag.task(t.taskId()).upstream();
          if (ups.isEmpty()) continue;
          Instant latest = null;
          for (String u : ups) {
            TaskInstance ut = byId.get(u);
            if (ut == null || ut.endDate() == null) {
              latest = null;
              break;
            }
            if (latest == null || ut.endDate().isAfter(latest)) latest = ut.endDate();
          }
          if (latest != null && !t.startDate().isBefore(latest))
            out.add(Duration.between(latest, t.startDate()).toNanos() / 1e9);
        }
      }
    }
    return out;
  }

  static double quantile(List<Double> sorted, double q) {
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  @SuppressWarnings("unchecked")
  private void samplePipeline() {
    Map<String, Object> s = pipeline.snapshot();
    List<MultiGauge.Row<?>> ends = new ArrayList<>();
    List<MultiGauge.Row<?>> rates = new ArrayList<>();
    List<MultiGauge.Row<?>> lags = new ArrayList<>();
    for (Map<String, Object> t : (List<Map<String, Object>>) s.getOrDefault("topics", List.of())) {
      Tags tags = Tags.of("topic", String.valueOf(t.get("name")));
      ends.add(MultiGauge.Row.of(tags, num(t.get("end_offset"))));
      rates.add(MultiGauge.Row.of(tags, num(t.get("rate_per_sec"))));
      for (Map<String, Object> g :
          (List<Map<String, Object>>) t.getOrDefault("consumer_groups", List.of()))
        lags.add(
            MultiGauge.Row.of(
                tags.and("group", String.valueOf(g.get("group"))), num(g.get("lag"))));
    }
    topicEnd.register(ends, true);
    topicRate.register(rates, true);
    groupLag.register(lags, true);
    Object dlq = ((Map<String, Object>) s.getOrDefault("dlq", Map.of())).get("count");
    dlqCount = dlq == null ? Double.NaN : num(dlq);
    List<MultiGauge.Row<?>> sr = new ArrayList<>();
    List<MultiGauge.Row<?>> sl = new ArrayList<>();
    List<MultiGauge.Row<?>> sb = new ArrayList<>();
    Map<String, Double> restarts = new java.util.TreeMap<>();
    for (Map<String, Object> q : (List<Map<String, Object>>) s.getOrDefault("streams", List.of())) {
      restarts.put(String.valueOf(q.get("job")), num(q.get("restarts")));
      Tags tags =
          Tags.of("job", String.valueOf(q.get("job")), "query", String.valueOf(q.get("query")));
      sr.add(MultiGauge.Row.of(tags, num(q.get("processed_rows_per_second"))));
      if (q.get("lag") != null) sl.add(MultiGauge.Row.of(tags, num(q.get("lag"))));
      if (q.get("batch_id") != null) sb.add(MultiGauge.Row.of(tags, num(q.get("batch_id"))));
    }
    streamRate.register(sr, true);
    streamLag.register(sl, true);
    streamBatch.register(sb, true);
    streamRestarts.register(
        restarts.entrySet().stream()
            .<MultiGauge.Row<?>>map(
                e -> MultiGauge.Row.of(Tags.of("job", e.getKey()), e.getValue()))
            .toList(),
        true);
    List<MultiGauge.Row<?>> rowsG = new ArrayList<>();
    List<MultiGauge.Row<?>> rateG = new ArrayList<>();
    List<MultiGauge.Row<?>> freshG = new ArrayList<>();
    for (Map<String, Object> t : (List<Map<String, Object>>) s.getOrDefault("sinks", List.of())) {
      Tags tags = Tags.of("table", String.valueOf(t.get("table")));
      if (t.get("rows") != null) rowsG.add(MultiGauge.Row.of(tags, num(t.get("rows"))));
      if (t.get("rate_per_sec") != null)
        rateG.add(MultiGauge.Row.of(tags, num(t.get("rate_per_sec"))));
      if (t.get("freshness_seconds") != null)
        freshG.add(MultiGauge.Row.of(tags, num(t.get("freshness_seconds"))));
    }
    sinkRows.register(rowsG, true);
    sinkRate.register(rateG, true);
    sinkFreshness.register(freshG, true);
  }

  private static double num(Object o) {
    return o instanceof Number n ? n.doubleValue() : 0;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
