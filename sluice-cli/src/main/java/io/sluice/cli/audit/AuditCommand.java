package io.sluice.cli.audit;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.connectors.hook.CassandraHook;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.KafkaHook;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice audit}: the users pipeline's balance per data interval; non-zero on imbalance. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Balance the users pipeline per DAG run: users fetched at the source (recorded at ingest),"
          + " committed in Kafka, rows in Cassandra, rows in the Parquet lake (committed files only),"
          + " and dead letters of the ingest and the stream job.",
      "A run balances when source = kafka + dlq_ingest, kafka = cassandra + dlq_stream and"
          + " parquet = cassandra. An imbalance of a run still running, or that ended less than the"
          + " lake's trigger (spark.lake-trigger) plus 30 s ago, is 'pending': its rows may still"
          + " be on their way.",
      "Exits 1 only when a settled run does not balance; --wait waits for pending runs first."
    })
public final class AuditCommand implements Callable<Integer> {
  private static final Duration LAKE_TIMEOUT = Duration.ofMinutes(10);

  /** Beyond the lake's trigger, how long a run's rows may take to reach the sinks. */
  static final Duration IN_FLIGHT_MARGIN = Duration.ofSeconds(30);

  static final List<String> COLUMNS =
      List.of(
          "dag_id",
          "run_id",
          "logical_date",
          "source",
          "kafka",
          "dlq_ingest",
          "cassandra",
          "parquet",
          "dlq_stream",
          "balance");

  @Option(
      names = "--dag",
      description = "DAG to audit (repeatable; default: user_automation and name_stream_dag).")
  List<String> dags = new ArrayList<>();

  @Option(names = "--from", description = "First logical date, inclusive (2024-01-01).")
  LocalDate from;

  @Option(names = "--to", description = "Last logical date, inclusive.")
  LocalDate to;

  @Option(names = "--output", defaultValue = "table", description = "table or json")
  OutputFormat output;

  @Option(
      names = "--no-lake",
      description =
          "Leave the Parquet lake out (counting it starts a local Spark session: some seconds).")
  boolean noLake;

  @Option(
      names = "--wait",
      description =
          "Wait for pending runs to settle, counting again each time, then report (at most"
              + " --wait-timeout).")
  boolean wait;

  @Option(
      names = "--wait-timeout",
      defaultValue = "PT10M",
      description = "How long --wait waits at most (ISO-8601, default PT10M).")
  Duration waitTimeout;

  private final Supplier<SluiceConfig> configuration;

  public AuditCommand() {
    this(SluiceConfig::load);
  }

  AuditCommand(Supplier<SluiceConfig> configuration) {
    this.configuration = configuration;
  }

  @Override
  public Integer call() throws InterruptedException {
    SluiceConfig config = configuration.get();
    if (dags.isEmpty()) dags = List.of("user_automation", "name_stream_dag");
    if (from != null && to != null && to.isBefore(from))
      throw new CliException("--to " + to + " is before --from " + from, 2);
    // why: a run's rows reach the lake by its next micro-batch; Cassandra's sink is faster
    Duration inFlight =
        (noLake ? Duration.ZERO : config.get(Settings.SPARK_LAKE_TRIGGER)).plus(IN_FLIGHT_MARGIN);
    long deadline = System.nanoTime() + waitTimeout.toNanos();
    List<UsersAudit.Line> lines = audit(config);
    while (wait && pending(lines, inFlight) > 0 && System.nanoTime() < deadline) {
      Duration pause = untilSettled(lines, inFlight);
      System.err.println(
          pending(lines, inFlight)
              + " run(s) pending; counting again in "
              + pause.toSeconds()
              + " s");
      Thread.sleep(pause.toMillis());
      lines = audit(config);
    }
    return print(lines, inFlight);
  }

  private static long pending(List<UsersAudit.Line> lines, Duration inFlight) {
    Instant now = Instant.now();
    return lines.stream().filter(l -> l.status(now, inFlight) == UsersAudit.Status.PENDING).count();
  }

  /** Until the last pending run settles (5 s for a run still running), at least 1 s. */
  private static Duration untilSettled(List<UsersAudit.Line> lines, Duration inFlight) {
    Instant now = Instant.now();
    Duration longest = Duration.ofSeconds(1);
    for (var l : lines) {
      if (l.status(now, inFlight) != UsersAudit.Status.PENDING) continue;
      Instant settles = l.settlesAt(inFlight);
      Duration d = settles == null ? Duration.ofSeconds(5) : Duration.between(now, settles);
      if (d.compareTo(longest) > 0) longest = d;
    }
    return longest.plusMillis(500);
  }

  private List<UsersAudit.Line> audit(SluiceConfig config) {
    var connections = DefaultConnections.of(config);
    Map<String, Long> lake = null;
    if (!noLake) {
      System.err.println("counting the Parquet lake (users) ...");
      try {
        lake = LakeCountsProcess.count(config, "users", LAKE_TIMEOUT);
      } catch (IllegalStateException | java.io.UncheckedIOException e) {
        throw new CliException(e.getMessage() + " (--no-lake skips the lake)", 1);
      }
    }
    try (JdbcStore store = MetadataDatabases.open(config, 2);
        var cassandra = CassandraHook.session(connections.get(DefaultConnections.CASSANDRA))) {
      UsersAudit audit =
          new UsersAudit(
              store,
              KafkaHook.of(connections.get(DefaultConnections.KAFKA)),
              cassandra,
              config.get(Settings.USERS_TOPIC),
              config.get(Settings.DLQ_TOPIC),
              config.get(Settings.USERS_KEYSPACE) + "." + config.get(Settings.USERS_TABLE));
      return audit.run(
          dags,
          from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
          to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1),
          lake);
    }
  }

  private int print(List<UsersAudit.Line> lines, Duration inFlight) {
    Instant now = Instant.now();
    List<Map<String, Object>> rows = new ArrayList<>();
    int unbalanced = 0;
    int pending = 0;
    for (var l : lines) {
      var row = new LinkedHashMap<String, Object>();
      row.put("dag_id", l.dagId());
      row.put("run_id", l.runId());
      row.put("logical_date", l.logicalDate().toString());
      row.put("source", l.source());
      row.put("kafka", l.kafka());
      row.put("dlq_ingest", l.dlqIngest());
      row.put("cassandra", l.cassandra());
      row.put("parquet", l.parquet() == null ? "-" : l.parquet());
      row.put("dlq_stream", l.dlqStream());
      UsersAudit.Status status = l.status(now, inFlight);
      row.put("balance", status.label());
      if (status == UsersAudit.Status.IMBALANCE) unbalanced++;
      if (status == UsersAudit.Status.PENDING) pending++;
      rows.add(row);
    }
    Output.print(output, rows, COLUMNS);
    if (output == OutputFormat.table)
      System.err.println(
          lines.size()
              + " run(s) audited, "
              + unbalanced
              + " imbalanced, "
              + pending
              + " pending"
              + (pending > 0 ? " (rows may still be on their way; --wait waits for them)" : "")
              + (lines.isEmpty() ? " (no ingest runs in range)" : ""));
    return unbalanced == 0 ? 0 : 1;
  }
}
