package io.sluice.web.pipeline;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What moves through the pipelines, sampled every few seconds on a background thread while someone
 * reads it (the pipeline page, its API, the metrics; see {@link WatchedSampler}): each topic's end
 * offsets, produce rate and consumer-group lag (Kafka AdminClient), each Spark job's latest
 * progress ({@code <data dir>/streams/<job>/progress.json}), each Cassandra table's row count and
 * latest timestamp, and the dead-letter count. Readers get the latest immutable snapshot; a system
 * that is down shows as {@code "down"} with its error, never as an exception.
 */
public final class PipelineStatus implements AutoCloseable {
  private static final int HISTORY = 120;

  /** One data flow, as drawn on the pipeline page. */
  public record Flow(String name, String source, String topic, String job, String table) {}

  private final SluiceConfig config;
  private final Clock clock;
  private final List<Flow> flows;
  private final WatchedSampler sampler;
  private final Deque<Map<String, Object>> history = new ArrayDeque<>();
  private final Map<String, Long> lastEnd = new HashMap<>();
  private final Map<String, Long> lastRows = new HashMap<>();
  private volatile Instant lastSampleAt;
  private volatile Instant lastCassandraAt = Instant.EPOCH;
  private volatile Map<String, Object> snapshot = Map.of("status", "starting");
  private volatile List<Map<String, Object>> sinkCache = List.of();
  private Admin admin;
  private CqlSession cassandra;

  public PipelineStatus(SluiceConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    String usersTable =
        config.get(Settings.USERS_KEYSPACE) + "." + config.get(Settings.USERS_TABLE);
    String ks = config.get(Settings.CASSANDRA_KEYSPACE);
    this.flows =
        List.of(
            new Flow("users", "randomuser", config.get(Settings.USERS_TOPIC), "users", usersTable),
            new Flow(
                "weather_hourly",
                "open-meteo",
                config.get(Settings.HOURLY_DATA_TOPIC),
                "weather",
                ks + "." + config.get(Settings.HOURLY_SINK_TABLE)),
            new Flow(
                "weather_daily",
                "open-meteo",
                config.get(Settings.DAILY_DATA_TOPIC),
                "weather",
                ks + "." + config.get(Settings.DAILY_SINK_TABLE)));
    this.sampler = new WatchedSampler(clock, this::refresh, "sluice-pipeline-status");
  }

  /**
   * Starts sampling every {@code period} while the snapshot is read.
   *
   * @param bag a DAG bag to re-scan on the same thread every period, read or not (when no scheduler
   *     in this process does), or null
   */
  public PipelineStatus start(Duration period, io.sluice.core.engine.DagBag bag) {
    sampler.start(period, bag == null ? () -> {} : bag::refresh);
    return this;
  }

  /** One tick of the sampling timer, run by the caller (tests). */
  void tick() {
    sampler.tick();
  }

  public List<Flow> flows() {
    return flows;
  }

  /**
   * The latest snapshot (see the class comment); never null. The first read after a minute without
   * one waits for a fresh sample.
   */
  public Map<String, Object> snapshot() {
    sampler.read();
    return snapshot;
  }

  public String kafkaBootstrap() {
    return config
        .find(Settings.KAFKA_BOOTSTRAP)
        .orElse("127.0.0.1:" + config.get(Settings.KAFKA_PORT));
  }

  public String dlqTopic() {
    return config.get(Settings.DLQ_TOPIC);
  }

  /** Samples every system once now. Called by the timer thread; safe to call from tests. */
  public synchronized void refresh() {
    Instant now = clock.instant();
    double seconds =
        lastSampleAt == null
            ? 0
            : Math.max(0.001, Duration.between(lastSampleAt, now).toMillis() / 1000.0);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("updated_at", now);
    s.put("flows", flows);
    Map<String, Object> kafka = new LinkedHashMap<>();
    kafka.put("bootstrap", kafkaBootstrap());
    List<Map<String, Object>> topics = new ArrayList<>();
    Map<String, Object> dlq = new LinkedHashMap<>();
    dlq.put("topic", dlqTopic());
    dlq.put("count", null);
    try {
      sampleKafka(topics, dlq, seconds);
      kafka.put("status", "up");
    } catch (Exception e) {
      kafka.put("status", "down");
      kafka.put("error", rootMessage(e));
      closeAdmin();
    }
    s.put("kafka", kafka);
    s.put("topics", topics);
    s.put("dlq", dlq);
    List<Map<String, Object>> streams = sampleStreams(now);
    s.put("streams", streams);
    if (Duration.between(lastCassandraAt, now).compareTo(Duration.ofSeconds(10)) >= 0) {
      sinkCache = sampleSinks(now, seconds);
      lastCassandraAt = now;
    }
    s.put("sinks", sinkCache);
    s.put("spark", spark());
    Map<String, Object> point = new LinkedHashMap<>();
    point.put("t", now);
    Map<String, Object> rates = new TreeMap<>();
    for (Map<String, Object> t : topics) rates.put((String) t.get("name"), t.get("rate_per_sec"));
    point.put("topics", rates);
    Map<String, Object> jobRates = new TreeMap<>();
    for (Map<String, Object> j : streams)
      jobRates.put(j.get("job") + "/" + j.get("query"), j.get("processed_rows_per_second"));
    point.put("streams", jobRates);
    synchronized (history) {
      history.addLast(point);
      while (history.size() > HISTORY) history.removeFirst();
      s.put("history", new ArrayList<>(history));
    }
    lastSampleAt = now;
    snapshot = s;
  }

  /** Where the jobs run: the master, and its web UI when the stack started a cluster. */
  private Map<String, Object> spark() {
    Map<String, Object> spark = new LinkedHashMap<>();
    spark.put("master", config.get(Settings.SPARK_MASTER));
    spark.put("ui", config.find(Settings.SPARK_UI_URL).orElse(null));
    return spark;
  }

  private Admin admin() {
    if (admin == null) {
      Properties p = new Properties();
      p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
      p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
      p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
      p.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-web-status");
      p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
      admin = Admin.create(p);
    }
    return admin;
  }

  private void closeAdmin() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(1));
      admin = null;
    }
  }

  private void sampleKafka(List<Map<String, Object>> out, Map<String, Object> dlq, double seconds)
      throws Exception {
    if (!reachable(kafkaBootstrap().split(",")[0]))
      throw new IOException("Kafka at " + kafkaBootstrap() + " is not reachable");
    Admin a = admin();
    Set<String> names = a.listTopics().names().get(5, TimeUnit.SECONDS);
    List<String> wanted = new ArrayList<>();
    for (String n : names) if (!n.startsWith("__")) wanted.add(n);
    wanted.sort(null);
    Map<String, TopicDescription> descs =
        a.describeTopics(wanted).allTopicNames().get(5, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    descs
        .values()
        .forEach(
            d ->
                d.partitions()
                    .forEach(
                        p -> {
                          TopicPartition tp = new TopicPartition(d.name(), p.partition());
                          latest.put(tp, OffsetSpec.latest());
                          earliest.put(tp, OffsetSpec.earliest());
                        }));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        a.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> begins =
        a.listOffsets(earliest).all().get(5, TimeUnit.SECONDS);
    // consumer-group lag: committed offsets of every group against the end offsets
    Map<String, Map<String, Long>> lagByTopic = new HashMap<>();
    for (var g : a.listConsumerGroups().all().get(5, TimeUnit.SECONDS)) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          a.listConsumerGroupOffsets(g.groupId())
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS);
      committed.forEach(
          (tp, om) -> {
            if (om == null || !ends.containsKey(tp)) return;
            long lag = Math.max(0, ends.get(tp).offset() - om.offset());
            lagByTopic
                .computeIfAbsent(tp.topic(), k -> new TreeMap<>())
                .merge(g.groupId(), lag, Long::sum);
          });
    }
    for (String name : wanted) {
      TopicDescription d = descs.get(name);
      long end = 0;
      long begin = 0;
      List<Map<String, Object>> parts = new ArrayList<>();
      for (var p : d.partitions()) {
        TopicPartition tp = new TopicPartition(name, p.partition());
        long e = ends.get(tp).offset();
        long b = begins.get(tp).offset();
        end += e;
        begin += b;
        parts.add(Map.of("partition", p.partition(), "end_offset", e, "begin_offset", b));
      }
      Long prev = lastEnd.put(name, end);
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("name", name);
      t.put("partitions", d.partitions().size());
      t.put("end_offset", end);
      t.put("records", end - begin);
      t.put(
          "rate_per_sec",
          prev == null || seconds == 0 ? 0.0 : round(Math.max(0, end - prev) / seconds));
      List<Map<String, Object>> groups = new ArrayList<>();
      lagByTopic
          .getOrDefault(name, Map.of())
          .forEach((g, l) -> groups.add(Map.of("group", g, "lag", l)));
      t.put("consumer_groups", groups);
      t.put("partition_offsets", parts);
      out.add(t);
      if (name.equals(dlqTopic())) dlq.put("count", end - begin);
    }
    if (!names.contains(dlqTopic())) dlq.put("count", 0L);
  }

  private List<Map<String, Object>> sampleStreams(Instant now) {
    return StreamJobs.read(config.dataDir().resolve("streams"));
  }

  private List<Map<String, Object>> sampleSinks(Instant now, double seconds) {
    List<Map<String, Object>> out = new ArrayList<>();
    String contact =
        config
            .find(Settings.CASSANDRA_CONTACT_POINTS)
            .orElse("127.0.0.1:" + config.get(Settings.CASSANDRA_PORT))
            .split(",")[0]
            .trim();
    boolean up = reachable(contact);
    for (Flow f : flows) {
      if (out.stream().anyMatch(m -> f.table().equals(m.get("table")))) continue;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("table", f.table());
      out.add(m);
      if (!up) {
        m.put("status", "down");
        m.put("error", "Cassandra at " + contact + " is not reachable");
        continue;
      }
      try {
        CqlSession s = cassandra(contact);
        String[] kt = f.table().split("\\.", 2);
        var cols =
            s.execute(
                    SimpleStatement.newInstance(
                        "SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
                        kt[0],
                        kt[1]))
                .all();
        if (cols.isEmpty()) {
          m.put("status", "absent");
          m.put("rows", 0L);
          continue;
        }
        String tsCol = null;
        for (String pref : List.of("fetched_at", "updated_at", "time", "ts", "date")) {
          for (Row c : cols)
            if (c.getString("column_name").equals(pref)
                && Set.of("timestamp", "date").contains(c.getString("type"))) tsCol = pref;
          if (tsCol != null) break;
        }
        Row count =
            s.execute(
                    SimpleStatement.newInstance("SELECT COUNT(*) FROM " + f.table())
                        .setTimeout(Duration.ofSeconds(10)))
                .one();
        long rows = count == null ? 0 : count.getLong(0);
        m.put("status", "up");
        m.put("rows", rows);
        Long prev = lastRows.put(f.table(), rows);
        double since =
            lastCassandraAt.equals(Instant.EPOCH)
                ? 0
                : Duration.between(lastCassandraAt, now).toMillis() / 1000.0;
        m.put(
            "rate_per_sec",
            prev == null || since <= 0 ? 0.0 : round(Math.max(0, rows - prev) / since));
        if (tsCol != null && rows > 0) {
          Row latest =
              s.execute(
                      SimpleStatement.newInstance("SELECT max(" + tsCol + ") FROM " + f.table())
                          .setTimeout(Duration.ofSeconds(10)))
                  .one();
          Object v = latest == null ? null : latest.getObject(0);
          Instant at =
              v instanceof Instant i
                  ? i
                  : v instanceof java.time.LocalDate d
                      ? d.atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                      : null;
          m.put("latest", at);
          m.put("latest_column", tsCol);
          m.put(
              "freshness_seconds",
              at == null ? null : Math.max(0, Duration.between(at, now).toSeconds()));
        }
      } catch (RuntimeException e) {
        m.put("status", "error");
        m.put("error", rootMessage(e));
      }
    }
    return out;
  }

  private CqlSession cassandra(String contact) {
    if (cassandra == null || cassandra.isClosed()) {
      String[] hp = contact.split(":");
      cassandra =
          CqlSession.builder()
              .addContactPoint(
                  new InetSocketAddress(hp[0], hp.length > 1 ? Integer.parseInt(hp[1]) : 9042))
              .withLocalDatacenter(config.get(Settings.CASSANDRA_DATACENTER))
              .withConfigLoader(
                  DriverConfigLoader.programmaticBuilder()
                      .withDuration(
                          DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                      .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                      .withString(DefaultDriverOption.SESSION_NAME, "sluice-web")
                      .build())
              .build();
    }
    return cassandra;
  }

  static boolean reachable(String hostPort) {
    String[] hp = hostPort.trim().split(":");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 500);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static double round(double d) {
    return Math.round(d * 100) / 100.0;
  }

  static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public synchronized void close() {
    sampler.close();
    closeAdmin();
    if (cassandra != null) cassandra.close();
  }
}
