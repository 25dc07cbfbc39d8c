package io.sluice.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.sluice.cli.InProcessSluice;
import io.sluice.cli.SluiceProcess;
import io.sluice.cli.SluiceProcess.Result;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.model.Backfill;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.Lease;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.time.Sleeper;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.ingest.randomuser.UserMapper;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordBuilder;
import io.sluice.records.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code stream_jobs} DAG runs its two Spark jobs, supervised by a scheduler, while users flow
 * into Kafka; a data engineer then runs {@code dags test} of another DAG, {@code dags backfill} of
 * {@code weather_daily} and {@code dags list} of another folder from a CLI in its own JVM. The
 * stream jobs keep their JVMs and queries, their tasks keep their tries, the users keep reaching
 * Cassandra, and the metadata holds no new DAG and no new run.
 */
@SluiceStackTest(
    services = {
      Service.KAFKA,
      Service.CASSANDRA,
      Service.S3,
      Service.METADATA_DB,
      Service.API_SIMULATOR
    })
class LiveStreamsBesideTheCliIT {
  private static final String KEYSPACE = "live_streams";
  private static final String TOPIC = "live.users";
  @TempDir Path work;
  private final AtomicInteger produced = new AtomicInteger();
  private ScheduledExecutorService producer;
  private KafkaProducer<byte[], byte[]> kafka;
  private Orchestrator orchestrator;
  private EngineLoop live;

  @AfterEach
  void stop() throws InterruptedException {
    if (producer != null) {
      producer.shutdownNow();
      producer.awaitTermination(30, TimeUnit.SECONDS);
    }
    if (kafka != null) kafka.close();
    if (live != null) live.close();
    if (orchestrator != null) orchestrator.close();
    InProcessSluice.forget();
  }

  @Test
  void testBackfillAndListFromTheCliLeaveTheRunningStreamJobsAndTheirMetadataAlone(LocalStack stack)
      throws Exception {
    Path dataDir = Files.createDirectories(work.resolve("data"));
    String dbUrl =
        "jdbc:h2:file:" + dataDir.resolve("metadata/sluice") + ";MODE=PostgreSQL;AUTO_SERVER=TRUE";
    SluiceConfig config =
        stack
            .config()
            .with(Settings.DATA_DIR, dataDir.toString())
            .with(Settings.DB_URL, dbUrl)
            .with(Settings.DAGS_FOLDER, Files.createDirectories(work.resolve("live")).toString())
            .with(Settings.USERS_TOPIC, TOPIC)
            .with(Settings.USERS_KEYSPACE, KEYSPACE)
            .with(Settings.S3_BUCKET, "live")
            .with(Settings.SPARK_DRIVER_MEMORY, "768m");
    // why: a stream task configures its job from the process's configuration, as under `up`
    InProcessSluice.forget();
    SluiceConfig.publish(config);
    TopicProvisioner.ensure(config);

    orchestrator = Orchestrator.open(config);
    // why: a scheduler of stream_jobs alone, so no other shipped DAG runs against the stack
    Clock clock = Clock.systemUTC();
    live =
        new Engines(
                orchestrator.store,
                DagBag.of(clock, orchestrator.dag("stream_jobs")),
                clock,
                Sleeper.SYSTEM,
                Orchestrator.connections(config, orchestrator.store),
                EngineOptions.from(config))
            .standalone()
            .start();
    startProducing(stack.kafkaBootstrap());
    try (CqlSession cql =
        CqlSession.builder()
            .addContactPoint(stack.cassandraContactPoint())
            .withLocalDatacenter("datacenter1")
            .build()) {
      await(
          "both stream jobs running with both their queries (Cassandra and the lake)",
          () ->
              leases().size() == 2
                  && leases().values().stream()
                      .allMatch(
                          l ->
                              l.pid() != null
                                  && l.queryIds() != null
                                  && l.queryIds().split(",").length == 2));
      await("users in Cassandra", () -> users(cql) > 0);
      Map<String, Lease> jobs = leases();
      List<TaskInstance> tries = streamTries();
      List<DagRecord> dags = dags();
      List<DagRun> runs = runs();
      assertThat(runs).extracting(DagRun::dagId).containsExactly("stream_jobs");
      // both jobs run in one JVM (spark.shared-jvm), each with its own lease and queries
      assertThat(jobs.values().stream().map(Lease::pid).distinct()).hasSize(1);

      SluiceProcess cli =
          new SluiceProcess(work.resolve("out"))
              .env("SLUICE_DATA_DIR", dataDir.toString())
              .env("SLUICE_DB_URL", dbUrl);
      Path other = otherFolder();

      long before = users(cql);
      Result test =
          cli.run(
              Map.of("SLUICE_DAGS_FOLDER", other.toString()),
              null,
              "dags",
              "test",
              "other_dag",
              "2024-02-01");
      assertThat(test.exit()).as(test.err()).isZero();
      assertThat(test.err()).contains("extract #1 success");
      awaitGrowth(cql, before);

      before = users(cql);
      Result backfill =
          cli.run(
              Map.of("SLUICE_DAGS_FOLDER", work.resolve("live").toString()),
              null,
              "dags",
              "backfill",
              "weather_daily",
              "--from",
              "2024-03-01",
              "--to",
              "2024-03-02");
      assertThat(backfill.exit()).as(backfill.err()).isZero();
      assertThat(backfill.err()).contains("backfill 1 of weather_daily: 2 logical dates");
      awaitGrowth(cql, before);
      // why: a backfill records the DAG it is for, as a trigger does; this scheduler loads only
      // stream_jobs, where under `up` the scheduler has already recorded every shipped DAG
      List<DagRecord> beforeList = dags();
      assertThat(beforeList.stream().filter(d -> !d.dagId().equals("weather_daily")).toList())
          .isEqualTo(dags);

      before = users(cql);
      Result list = cli.run(Map.of("SLUICE_DAGS_FOLDER", other.toString()), null, "dags", "list");
      assertThat(list.exit()).as(list.err()).isZero();
      assertThat(list.out()).contains("other_dag");
      awaitGrowth(cql, before);

      Map<String, Lease> after = leases();
      assertThat(after).isEqualTo(withRenewalsOf(jobs, after));
      for (Lease job : after.values())
        assertThat(ProcessHandle.of(job.pid()).map(ProcessHandle::isAlive)).contains(true);
      assertThat(streamTries()).isEqualTo(tries);
      assertThat(dags()).isEqualTo(beforeList);
      assertThat(runs()).isEqualTo(runs);
      // the backfill is recorded for a scheduler that loads weather_daily; this one does not
      List<Backfill> backfills =
          orchestrator.store.inTransaction(tx -> tx.backfills("weather_daily"));
      assertThat(backfills).hasSize(1);
      assertThat(users(cql)).isGreaterThan(before);
    }
  }

  /** {@code expected} with the expiry and renewal times of {@code now}: the rest must not move. */
  private static Map<String, Lease> withRenewalsOf(
      Map<String, Lease> expected, Map<String, Lease> now) {
    Map<String, Lease> out = new TreeMap<>();
    expected.forEach(
        (name, l) -> {
          Lease n = now.get(name);
          out.put(
              name, n == null ? l : l.renewed(l.pid(), l.queryIds(), n.renewedAt(), n.expiresAt()));
        });
    return out;
  }

  /** Sends 5 users every 500 ms, as the users ingest keeps doing beside a running stack. */
  private void startProducing(String bootstrap) {
    kafka =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            new ByteArraySerializer(),
            new ByteArraySerializer());
    producer = Executors.newSingleThreadScheduledExecutor();
    producer.scheduleAtFixedRate(
        () -> {
          for (int i = 0; i < 5; i++) {
            GenericRecord u = user(produced.incrementAndGet());
            kafka.send(
                new ProducerRecord<>(
                    TOPIC,
                    u.get("id").toString().getBytes(StandardCharsets.UTF_8),
                    JsonRecords.encode(u)));
          }
          kafka.flush();
        },
        0,
        500,
        TimeUnit.MILLISECONDS);
  }

  private void awaitGrowth(CqlSession cql, long before) throws InterruptedException {
    await("created_users to grow past " + before, () -> users(cql) > before);
  }

  private static long users(CqlSession cql) {
    try {
      return cql.execute("SELECT count(*) FROM " + KEYSPACE + ".created_users").one().getLong(0);
    } catch (RuntimeException e) {
      return 0; // why: the job creates the table on its first batch
    }
  }

  private Map<String, Lease> leases() {
    Map<String, Lease> byName = new TreeMap<>();
    for (Lease l : orchestrator.store.inTransaction(tx -> tx.leases())) byName.put(l.name(), l);
    return byName;
  }

  private List<TaskInstance> streamTries() {
    String runId = orchestrator.store.inTransaction(tx -> tx.runs("stream_jobs", 1)).get(0).runId();
    return orchestrator.store.inTransaction(tx -> tx.taskInstances("stream_jobs", runId)).stream()
        .map(ti -> ti.toBuilder().heartbeatAt(null).build())
        .toList();
  }

  private List<DagRecord> dags() {
    return orchestrator.store.inTransaction(tx -> tx.dags());
  }

  /** The runs of every DAG the CLI knows, and of the test's own DAG. */
  private List<DagRun> runs() {
    return orchestrator.store.inTransaction(
        tx -> {
          List<DagRun> all = new java.util.ArrayList<>();
          for (String id :
              List.of(
                  "stream_jobs",
                  "weather_daily",
                  "weather_hourly",
                  "user_automation",
                  "name_stream_dag",
                  "weather_historic",
                  "other_dag")) all.addAll(tx.runs(id, 100));
          return all;
        });
  }

  private Path otherFolder() throws Exception {
    Path dir = Files.createDirectories(work.resolve("other"));
    Files.writeString(
        dir.resolve("other_dag.yaml"),
        """
        dag_id: other_dag
        schedule: "@daily"
        start_date: 2024-01-01
        tasks:
          - id: extract
            type: shell
            command: "echo rows for {{ ds }}"
        """);
    return dir;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(500);
    }
  }

  private static GenericRecord user(int i) {
    return RecordBuilder.of(RecordType.USER)
        .set("schema_version", JsonRecords.MAX_SCHEMA_VERSION)
        .set("id", UUID.nameUUIDFromBytes(("live-user-" + i).getBytes(StandardCharsets.UTF_8)))
        .set("first_name", "First" + i)
        .set("last_name", "Last" + i)
        .set("gender", "female")
        .set("address", i + " Main Street, Springfield, Oregon, United States")
        .set("post_code", "%064x".formatted(i))
        .set("email", "user" + i + "@example.com")
        .set("username", "user" + i)
        .set("dob", Instant.parse("1980-01-01T00:00:00Z"))
        .set("registered_date", Instant.parse("2015-01-01T00:00:00Z"))
        .set("phone", "+1-555-" + i)
        .set("picture", "https://randomuser.me/api/portraits/women/" + (i % 100) + ".jpg")
        .set("source", UserMapper.SOURCE)
        .set("fetched_at", Instant.now())
        .set("run_id", "live-run")
        .build();
  }
}
