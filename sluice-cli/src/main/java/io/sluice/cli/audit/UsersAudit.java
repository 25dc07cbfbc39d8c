package io.sluice.cli.audit;

import com.datastax.oss.driver.api.core.CqlSession;
import io.sluice.connectors.hook.KafkaHook;
import io.sluice.core.engine.XComCodec;
import io.sluice.core.model.DagRun;
import io.sluice.core.store.MetadataStore;
import io.sluice.ingest.kafka.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Balances the users pipeline per DAG run: the users fetched at the source (recorded by the ingest
 * task in its XCom), the records committed to the users topic, the rows in Cassandra, the rows in
 * the Parquet lake, and the dead letters of the ingest and of the stream job. A run balances when
 * {@code source = kafka + dlq_ingest}, {@code kafka = cassandra + dlq_stream} and, when the lake
 * was counted, {@code parquet = cassandra} (each valid user is one row in each sink).
 */
public final class UsersAudit {
  /** What a line's balance means. */
  public enum Status {
    /** Every count agrees. */
    OK,
    /** Counts differ, but the run's rows may still be on their way to the sinks. */
    PENDING,
    /** Counts differ, and the run is settled: rows were lost or duplicated. */
    IMBALANCE;

    /** As printed: {@code ok}, {@code pending}, {@code IMBALANCE}. */
    public String label() {
      return this == IMBALANCE ? name() : name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One line of the balance; {@code parquet} is null when the lake was not counted, {@code endedAt}
   * while the run has not ended.
   */
  public record Line(
      String dagId,
      String runId,
      Instant logicalDate,
      long source,
      long kafka,
      long dlqIngest,
      long cassandra,
      Long parquet,
      long dlqStream,
      Instant endedAt) {
    public boolean balanced() {
      return source == kafka + dlqIngest
          && kafka == cassandra + dlqStream
          && (parquet == null || parquet == cassandra);
    }

    /** When every row of the run has reached the sinks, the stream jobs being up. */
    public Instant settlesAt(Duration inFlight) {
      return endedAt == null ? null : endedAt.plus(inFlight);
    }

    /**
     * The balance at {@code now}: an imbalance of a run that has not ended, or that ended less than
     * {@code inFlight} ago, is {@link Status#PENDING}.
     */
    public Status status(Instant now, Duration inFlight) {
      if (balanced()) return Status.OK;
      Instant settles = settlesAt(inFlight);
      return settles == null || now.isBefore(settles) ? Status.PENDING : Status.IMBALANCE;
    }
  }

  private final MetadataStore store;
  private final KafkaHook kafka;
  private final CqlSession cassandra;
  private final String usersTopic;
  private final String dlqTopic;
  private final String usersTable;

  public UsersAudit(
      MetadataStore store,
      KafkaHook kafka,
      CqlSession cassandra,
      String usersTopic,
      String dlqTopic,
      String usersTable) {
    this.store = store;
    this.kafka = kafka;
    this.cassandra = cassandra;
    this.usersTopic = usersTopic;
    this.dlqTopic = dlqTopic;
    this.usersTable = usersTable;
  }

  /**
   * The balance of every run of {@code dagIds} whose logical date is in {@code [from, to]}, without
   * the lake.
   */
  public List<Line> run(List<String> dagIds, Instant from, Instant to) {
    return run(dagIds, from, to, null);
  }

  /**
   * The balance of every run of {@code dagIds} whose logical date is in {@code [from, to]}; {@code
   * lake} holds the lake's committed rows per run id, or is null to leave the lake out.
   */
  public List<Line> run(List<String> dagIds, Instant from, Instant to, Map<String, Long> lake) {
    Map<String, Long> inKafka = new HashMap<>();
    Map<String, String> runOfOffset = new HashMap<>();
    scan(
        usersTopic,
        r -> {
          String run = header(r, Headers.RUN_ID);
          if (run == null) return;
          inKafka.merge(run, 1L, Long::sum);
          runOfOffset.put(r.partition() + ":" + r.offset(), run);
        });
    Map<String, Long> dlqIngest = new HashMap<>();
    Map<String, Long> dlqStream = new HashMap<>();
    scan(
        dlqTopic,
        r -> {
          String sourceTopic = header(r, Headers.DLQ_SOURCE_TOPIC);
          if (usersTopic.equals(sourceTopic)) {
            String run =
                runOfOffset.get(
                    header(r, Headers.DLQ_SOURCE_PARTITION)
                        + ":"
                        + header(r, Headers.DLQ_SOURCE_OFFSET));
            if (run != null) dlqStream.merge(run, 1L, Long::sum);
          } else {
            String run = header(r, Headers.RUN_ID);
            if (run != null) dlqIngest.merge(run, 1L, Long::sum);
          }
        });
    Map<String, Long> inCassandra = new HashMap<>();
    for (var row : cassandra.execute("SELECT run_id FROM " + usersTable)) {
      String run = row.getString(0);
      if (run != null) inCassandra.merge(run, 1L, Long::sum);
    }
    List<Line> lines = new ArrayList<>();
    for (String dagId : dagIds) {
      List<DagRun> runs = store.inTransaction(tx -> tx.runs(dagId, Integer.MAX_VALUE));
      for (DagRun run : runs) {
        if (from != null && run.logicalDate().isBefore(from)) continue;
        if (to != null && run.logicalDate().isAfter(to)) continue;
        long fetched = fetched(run);
        if (fetched < 0) continue;
        String id = run.runId();
        lines.add(
            new Line(
                dagId,
                id,
                run.logicalDate(),
                fetched,
                inKafka.getOrDefault(id, 0L),
                dlqIngest.getOrDefault(id, 0L),
                inCassandra.getOrDefault(id, 0L),
                lake == null ? null : lake.getOrDefault(id, 0L),
                dlqStream.getOrDefault(id, 0L),
                run.endDate()));
      }
    }
    lines.sort(java.util.Comparator.comparing(Line::logicalDate).thenComparing(Line::dagId));
    return lines;
  }

  /** What the run's ingest task recorded as fetched, or -1 when it recorded nothing yet. */
  private long fetched(DagRun run) {
    return store.inTransaction(
        tx -> {
          long total = -1;
          for (var ti : tx.taskInstances(run.dagId(), run.runId())) {
            var stored = tx.xcom(run.dagId(), run.runId(), ti.taskId(), "return_value");
            if (stored.isEmpty()) continue;
            Object value = XComCodec.decode(stored.get(), Object.class);
            if (value instanceof Map<?, ?> m
                && m.get("fetched") instanceof Number n
                && m.containsKey("published")) {
              total = Math.max(total, 0) + n.longValue();
            }
          }
          return total;
        });
  }

  private void scan(
      String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
    try (var consumer = kafka.consumer(null)) {
      var partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      if (partitions.isEmpty()) return;
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      // why: read_committed positions stop at the last stable offset, past markers of aborted
      // transactions; compare positions, not record counts, with the end offsets
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline)
          throw new IllegalStateException("reading " + topic + " took longer than 5 minutes");
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
