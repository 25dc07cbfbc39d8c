package io.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.IngestSummary;
import io.sluice.ingest.UserIngest;
import io.sluice.ingest.kafka.Headers;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.ingest.source.SourcePolicy;
import io.sluice.local.LocalStack;
import io.sluice.local.Ports;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.local.kafka.EmbeddedKafka;
import io.sluice.spark.launch.SparkJobProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Fault test F1: one of three Kafka brokers dies while users are ingested. The topics have three
 * replicas and {@code min.insync.replicas=2}, so the transactional ingest and the streaming job
 * carry on against the two that are left, and Cassandra and the lake end up with exactly the users
 * the ingest committed.
 *
 * <p>Runs {@value #DEFAULT_USERS} users; {@code -Dsluice.faults.users=200000} runs the full size.
 */
@SluiceStackTest(services = {Service.CASSANDRA, Service.S3, Service.API_SIMULATOR})
class BrokerLossIT {
  private static final int DEFAULT_USERS = 20_000;
  private static final int USERS = Integer.getInteger("sluice.faults.users", DEFAULT_USERS);
  private static final String NAME = "broker-loss";

  @Test
  void shouldNeitherLoseNorDuplicateUsersWhenABrokerDiesMidIngest(LocalStack stack)
      throws Exception {
    long began = System.nanoTime();
    Path dataDir = Files.createTempDirectory("sluice-" + NAME + "-");
    int[] ports = Ports.free(6);
    try (EmbeddedKafka kafka =
        EmbeddedKafka.start(
            dataDir.resolve("kafka"),
            List.of(ports[0], ports[1], ports[2]),
            List.of(ports[3], ports[4], ports[5]))) {
      SluiceConfig config = config(stack, dataDir, kafka.bootstrapServers());
      String usersTopic = config.get(Settings.USERS_TOPIC);
      String table = config.get(Settings.USERS_KEYSPACE) + "." + config.get(Settings.USERS_TABLE);
      TopicProvisioner.ensure(config);

      SparkJobProcess job = SparkJobProcess.start(config, "users", List.of());
      try (CqlSession cassandra = cassandra(stack, config)) {
        awaitJob(
            job,
            "the users job's queries to start",
            Duration.ofMinutes(4),
            () -> Files.exists(job.progressFile()));

        KillMidIngest killer = new KillMidIngest(kafka, leaderOfFirstPartition(config, usersTopic));
        UserIngest ingest =
            UserIngest.builder(config)
                .count(USERS)
                .batch(1000)
                .seed(NAME)
                .policy(
                    SourcePolicy.defaults()
                        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200)))
                .listener(killer)
                .build();
        long ingestBegan = System.nanoTime();
        IngestSummary summary = ingest.run();
        double ingestSeconds = seconds(System.nanoTime() - ingestBegan);
        assertThat(killer.killed.isDone()).as("a broker died while users were ingested").isTrue();
        assertThat(kafka.runningNodeIds()).hasSize(2);
        assertThat(summary.fetched()).isEqualTo(USERS);
        assertThat(summary.published()).isEqualTo(USERS);
        assertThat(summary.dlq()).isZero();

        Map<String, Long> inKafka = committedIdsOfRun(kafka, usersTopic, summary.runId());
        assertThat(inKafka).hasSize(USERS);
        assertThat(inKafka.values()).allMatch(n -> n == 1L);

        long ingestEnded = System.nanoTime();
        awaitJob(
            job,
            "every user in Cassandra",
            // why: the job's catch-up grows with the users (about 1,000 rows/s on 2 busy cores)
            Duration.ofSeconds(Math.max(300, USERS / 200)),
            () -> quietly(() -> count(cassandra, table)) >= USERS);
        try (SparkSession lake = SparkSessions.create(config, "lake-reader", "local[1]")) {
          String lakePath = Lake.path(config, "users");
          awaitJob(
              job,
              "every user in the lake",
              Duration.ofSeconds(Math.max(180, USERS / 400)),
              () -> quietly(() -> lake.read().parquet(lakePath).count()) >= USERS);
          double catchUpSeconds = seconds(System.nanoTime() - ingestEnded);

          Set<String> cassandraIds = new HashSet<>();
          long cassandraRows = 0;
          for (var row :
              cassandra.execute(
                  SimpleStatement.newInstance("SELECT id, run_id FROM " + table)
                      .setTimeout(Duration.ofSeconds(60)))) {
            cassandraRows++;
            if (summary.runId().equals(row.getString("run_id")))
              cassandraIds.add(row.getUuid("id").toString());
          }
          List<Row> lakeRows = lake.read().parquet(lakePath).select("id").collectAsList();
          Set<String> lakeIds = new HashSet<>();
          for (Row r : lakeRows) lakeIds.add(String.valueOf(r.get(0)));

          System.out.printf(
              "F1 broker loss: %d users, node %d killed after %d users; ingest %.1f s (%.0f users/s),"
                  + " first commit %.1f s after the kill began, job caught up %.1f s after the"
                  + " ingest, test %.1f s%n",
              USERS,
              killer.victim,
              killer.killedAt,
              ingestSeconds,
              USERS / ingestSeconds,
              seconds(killer.firstCommitAfterKillNanos.get() - killer.killBeganNanos),
              catchUpSeconds,
              seconds(System.nanoTime() - began));

          // the balance `sluice audit` checks: source = kafka + dlq_ingest, kafka = cassandra +
          // dlq_stream (both dead-letter counts are zero here), and the lake holds the same users
          assertThat(cassandraRows).isEqualTo(USERS);
          assertThat(cassandraIds).isEqualTo(inKafka.keySet());
          assertThat(lakeRows).hasSize(USERS);
          assertThat(lakeIds).isEqualTo(inKafka.keySet());
          assertThat(committedIdsOfRun(kafka, config.get(Settings.DLQ_TOPIC), null)).isEmpty();
        }
      } finally {
        job.stop(Duration.ofSeconds(20));
      }
    }
  }

  /**
   * Kills {@code victim} on its own thread once a third of the users are committed, and holds the
   * ingest at two thirds until the node is down, so that a third of the users at least is produced
   * to the two remaining brokers.
   */
  private static final class KillMidIngest implements io.sluice.ingest.IngestListener {
    final EmbeddedKafka kafka;
    final int victim;
    final CompletableFuture<Void> killed = new CompletableFuture<>();
    volatile long killedAt = -1;
    volatile long killBeganNanos;
    final AtomicLong firstCommitAfterKillNanos = new AtomicLong();
    private boolean started;

    KillMidIngest(EmbeddedKafka kafka, int victim) {
      this.kafka = kafka;
      this.victim = victim;
    }

    @Override
    public void onPage(long fetched, long published, long dlq, long target) {
      if (started && killed.isDone()) firstCommitAfterKillNanos.compareAndSet(0, System.nanoTime());
      if (!started && fetched >= target / 3) {
        started = true;
        killedAt = fetched;
        killBeganNanos = System.nanoTime();
        CompletableFuture.runAsync(() -> kafka.kill(victim))
            .whenComplete(
                (ok, e) -> {
                  if (e != null) killed.completeExceptionally(e);
                  else killed.complete(null);
                });
      }
      if (started && fetched >= 2 * target / 3 && fetched < target) killed.join();
    }
  }

  private static SluiceConfig config(LocalStack stack, Path dataDir, String bootstrap) {
    String ks = NAME.replace('-', '_');
    return stack
        .config()
        .with(Settings.KAFKA_BOOTSTRAP, bootstrap)
        .with(Settings.DATA_DIR, dataDir.toString())
        .with(Settings.USERS_TOPIC, NAME + ".users")
        .with(Settings.HOURLY_DATA_TOPIC, NAME + ".hourly")
        .with(Settings.DAILY_DATA_TOPIC, NAME + ".daily")
        .with(Settings.DLQ_TOPIC, NAME + ".dlq")
        .with(Settings.PROGRESS_TOPIC, NAME + ".progress")
        .with(Settings.TOPIC_REPLICATION, "3")
        .with(Settings.TOPIC_MIN_ISR, "2")
        .with(Settings.USERS_KEYSPACE, ks + "_streams")
        .with(Settings.CASSANDRA_KEYSPACE, ks + "_analytics")
        .with(Settings.S3_BUCKET, NAME)
        .with(Settings.HMAC_KEY, "broker-loss-it-key-0123456789")
        .with(Settings.SPARK_LAKE_TRIGGER, "2s")
        .with(Settings.SPARK_DRIVER_MEMORY, "768m");
  }

  private static int leaderOfFirstPartition(SluiceConfig config, String topic) throws Exception {
    try (Admin admin = TopicProvisioner.admin(config)) {
      var partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
      assertThat(partitions.get(0).replicas()).hasSize(3);
      return partitions.get(0).leader().id();
    }
  }

  /**
   * Ids and how often each occurs among the committed records of {@code topic} (of run {@code
   * runId} when given), read as the job reads them: read_committed, from the beginning to the end.
   */
  private static Map<String, Long> committedIdsOfRun(
      EmbeddedKafka kafka, String topic, String runId) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.GROUP_ID_CONFIG,
            "broker-loss-it-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    Map<String, Long> ids = new HashMap<>();
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          var run = r.headers().lastHeader(Headers.RUN_ID);
          if (runId != null
              && (run == null || !runId.equals(new String(run.value(), StandardCharsets.UTF_8))))
            continue;
          ids.merge(new String(r.key(), StandardCharsets.UTF_8), 1L, Long::sum);
        }
      }
    }
    return ids;
  }

  private static CqlSession cassandra(LocalStack stack, SluiceConfig config) {
    return CqlSession.builder()
        .addContactPoint(stack.cassandraContactPoint())
        .withLocalDatacenter(config.get(Settings.CASSANDRA_DATACENTER))
        .withConfigLoader(
            DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(60))
                .build())
        .build();
  }

  /**
   * Counts the rows page by page: a {@code count(*)} is one range read, which the node abandons
   * after its range timeout (10 s) once the table holds a few hundred thousand rows on a busy node.
   */
  private static long count(CqlSession cassandra, String table) {
    long rows = 0;
    for (var ignored :
        cassandra.execute(
            SimpleStatement.newInstance("SELECT id FROM " + table)
                .setPageSize(5000)
                .setTimeout(Duration.ofSeconds(60)))) rows++;
    return rows;
  }

  private interface Count {
    long get() throws Exception;
  }

  /** The count, or 0 while the table or the lake does not exist yet or a read times out. */
  private static long quietly(Count count) {
    try {
      return count.get();
    } catch (Exception e) {
      return 0;
    }
  }

  private static void awaitJob(
      SparkJobProcess job, String what, Duration timeout, java.util.function.BooleanSupplier done)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (!job.isAlive())
        throw new AssertionError("the users job died; its log:\n" + Files.readString(job.log()));
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
      Thread.sleep(500);
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
