package io.sluice.spark;

import static io.sluice.spark.JobFixture.quietly;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.RecordFormat;
import io.sluice.records.RecordType;
import io.sluice.records.RecordWriter;
import io.sluice.records.registry.HttpSchemaRegistry;
import io.sluice.spark.launch.SparkJobProcess;
import io.sluice.spark.sink.AsyncWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The numbers of docs/benchmarks.md ("Stream processing"), once with Avro records and once with
 * JSON ({@code -Dsluice.bench.formats=avro,json}), and the latency once more in real-time mode
 * ({@link #realtimeLatency}). Runs only with {@code -Dsluice.bench=true}: {@code mvn -pl
 * sluice-spark verify -Dit.test=StreamBenchmarkIT -Dsluice.bench=true}.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3, Service.SCHEMA_REGISTRY})
class StreamBenchmarkIT {
  private static final int N = Integer.getInteger("sluice.bench.rows", 20_000);
  private static final int LATENCY_RECORDS = 10_000;
  private static final int WARM_UP = 2_000;
  private static final String CASSANDRA = "users-cassandra", LAKE = "users-lake";
  // why: one measurement per format, each with its own topic, keyspace and job, in one stack
  private static final List<String> FORMATS =
      List.of(System.getProperty("sluice.bench.formats", "avro,json").split(","));
  // why: the job runs in a JVM of its own; a flight recording of it, phase by phase, is what
  // docs/benchmarks.md's profiles of the sink and the latency come from
  private static final String PROFILE_DIR = System.getProperty("sluice.bench.profile", "");

  @Test
  void sinkThroughputLatencyAndParquet(LocalStack stack) throws Exception {
    assumeTrue(Boolean.getBoolean("sluice.bench"), "benchmarks run with -Dsluice.bench=true");
    for (int i = 0; i < FORMATS.size(); i++) measure(stack, FORMATS.get(i), i);
  }

  private void measure(LocalStack stack, String label, int run) throws Exception {
    RecordFormat format = label.startsWith("json") ? RecordFormat.JSON : RecordFormat.AVRO;
    // why: the job as it runs by default; the tests' 2 s lake trigger would take cores from the
    // Cassandra query
    try (JobFixture f =
        new JobFixture(
            stack,
            "bench-" + label + "-" + run,
            java.util.Map.of(
                Settings.SPARK_LAKE_TRIGGER, Settings.SPARK_LAKE_TRIGGER.defaultValue()))) {
      String topic = f.config.get(Settings.USERS_TOPIC);
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      RecordWriter records =
          RecordWriter.of(
              format, RecordType.USER, topic, HttpSchemaRegistry.of(stack.schemaRegistryUrl()));

      // 1. the job, warmed up on WARM_UP users (its JIT, Spark's generated code, Cassandra's JIT),
      // on a backlog of N users, in a topic provisioned as the job does (partitions)
      Provisioning.topics(f.config, topic, f.config.get(Settings.DLQ_TOPIC));
      List<byte[][]> warmUp = new ArrayList<>();
      for (int i = 0; i < WARM_UP; i++) warmUp.add(record(records, JobFixture.user(5 * N + i)));
      f.produce(topic, warmUp);
      SparkJobProcess job = f.startJob("users");
      f.awaitJob(
          job, "the warm-up rows", Duration.ofMinutes(5), () -> read(job, CASSANDRA) >= WARM_UP);
      // why: the lake query starts after the Cassandra query's first batch; its first batch (S3A,
      // the warm-up rows) would share the cores with the backlog. Its next one is 30 s away
      f.awaitJob(
          job,
          "the lake query to catch up",
          Duration.ofMinutes(5),
          () -> read(job, LAKE) >= WARM_UP);
      long lakeBatch = lakeBatch(job);
      List<byte[][]> backlog = new ArrayList<>();
      for (int i = 0; i < N; i++) backlog.add(record(records, JobFixture.user(i)));
      String firstOfEach = firstOfEachPartition(f, backlog);
      f.produce(topic, backlog);
      // why: a count(*) every 250 ms would scan the table on the node the job writes to; a read of
      // the first users of each partition by key, and the job's committed offsets, cost it nothing
      f.awaitJob(
          job,
          "first rows",
          Duration.ofMinutes(5),
          () ->
              !quietly(
                      () ->
                          f.cassandra
                              .execute("SELECT id FROM " + table + " WHERE id IN " + firstOfEach)
                              .all(),
                      List.of())
                  .isEmpty(),
          Duration.ofMillis(20));
      Instant first = Instant.now();
      Duration cpuAtFirst = cpu(job);
      profile(job, "start", label + "-backlog");
      f.awaitJob(
          job,
          "all rows",
          Duration.ofMinutes(10),
          () -> read(job, CASSANDRA) >= WARM_UP + N,
          Duration.ofMillis(20));
      double jobRate = N / seconds(first, Instant.now());
      // why: on a shared machine the job's CPU time per row moves less with the load than its rate
      double cpuUsPerRow = cpu(job).minus(cpuAtFirst).toNanos() / 1000.0 / N;
      profile(job, "stop", label + "-backlog");
      boolean lakeBeside = lakeBatch(job) != lakeBatch;
      // why: the next phases measure the node and the steady job; the lake query's catch-up on the
      // backlog would share the cores with them
      f.awaitJob(
          job,
          "the lake query to catch up",
          Duration.ofMinutes(5),
          () -> read(job, LAKE) >= WARM_UP + N);

      double rawRate = rawDriverRate(f, table);

      // 3. latency at 1,000 records/s: Cassandra's write time minus the produce time (fetched_at)
      profile(job, "start", label + "-latency");
      List<Long> latencies =
          latencies(f, records, job, 3 * N, WARM_UP + N, () -> read(job, CASSANDRA));
      profile(job, "stop", label + "-latency");
      var progress = new ObjectMapper().readTree(job.progressFile().toFile());
      System.out.printf(
          "BENCH %s rows=%d job_rows_per_s=%.0f job_cpu_us_per_row=%.0f raw_rows_per_s=%.0f ratio=%.2f"
              + " lake_beside_backlog=%b latency_ms_p50=%d"
              + " p99=%d max=%d n=%d load_1m=%.2f lake=%s%n",
          label,
          N,
          jobRate,
          cpuUsPerRow,
          rawRate,
          jobRate / rawRate,
          lakeBeside,
          latencies.get(latencies.size() / 2),
          latencies.get((int) (latencies.size() * 0.99)),
          latencies.get(latencies.size() - 1),
          latencies.size(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          progress.path("queries").path("users-lake"));
    }
  }

  /**
   * The same latency with {@code spark.mode: realtime}, Avro records, the lake query running beside
   * it: {@code BENCH realtime latency_ms_p50=... p99=...}.
   */
  @Test
  void realtimeLatency(LocalStack stack) throws Exception {
    assumeTrue(Boolean.getBoolean("sluice.bench"), "benchmarks run with -Dsluice.bench=true");
    try (JobFixture f =
        new JobFixture(
            stack,
            "bench-realtime",
            java.util.Map.of(
                Settings.SPARK_LAKE_TRIGGER,
                Settings.SPARK_LAKE_TRIGGER.defaultValue(),
                SparkSettings.SPARK_MODE,
                SparkSettings.REALTIME))) {
      String topic = f.config.get(Settings.USERS_TOPIC);
      String table =
          f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
      RecordWriter records =
          RecordWriter.of(
              RecordFormat.AVRO,
              RecordType.USER,
              topic,
              HttpSchemaRegistry.of(stack.schemaRegistryUrl()));
      Provisioning.topics(f.config, topic, f.config.get(Settings.DLQ_TOPIC));
      List<byte[][]> warmUp = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) warmUp.add(record(records, JobFixture.user(i)));
      f.produce(topic, warmUp);
      SparkJobProcess job = f.startJob("users");
      f.awaitJob(
          job,
          "the warm-up rows",
          Duration.ofMinutes(5),
          () -> quietly(() -> f.count(table), 0L) >= warmUp.size());
      // why: the lake query's first batch (S3A start, the backlog) would share the cores with the
      // measurement
      f.awaitJob(
          job,
          "the lake query to catch up",
          Duration.ofMinutes(5),
          () -> read(job, LAKE) >= warmUp.size());
      profile(job, "start", "realtime-latency");
      // why: a real-time query reports its offsets once per real-time batch (minutes)
      List<Long> latencies =
          latencies(
              f, records, job, 10 * N, warmUp.size(), () -> quietly(() -> f.count(table), 0L));
      profile(job, "stop", "realtime-latency");
      System.out.printf(
          "BENCH realtime latency_ms_p50=%d p99=%d max=%d n=%d load_1m=%.2f%n",
          latencies.get(latencies.size() / 2),
          latencies.get((int) (latencies.size() * 0.99)),
          latencies.get(latencies.size() - 1),
          latencies.size(),
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /**
   * Produces {@link #LATENCY_RECORDS} users at 1,000 a second (users {@code first} on, their {@code
   * fetched_at} the time they are produced) into a table that holds {@code stored} rows, waits for
   * them ({@code rows}: the rows stored so far), and returns each row's latency (its Cassandra
   * write time minus its produce time), sorted.
   */
  private static List<Long> latencies(
      JobFixture f,
      RecordWriter records,
      SparkJobProcess job,
      int first,
      int stored,
      java.util.function.LongSupplier rows)
      throws InterruptedException {
    String topic = f.config.get(Settings.USERS_TOPIC);
    String table = f.config.get(Settings.USERS_KEYSPACE) + "." + f.config.get(Settings.USERS_TABLE);
    Instant start = Instant.now();
    for (int s = 0; s < LATENCY_RECORDS / 100; s++) {
      List<byte[][]> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        GenericRecord u =
            JobFixture.userBuilder(first + s * 100 + i)
                .set("fetched_at", Instant.now())
                .set("run_id", "bench")
                .build();
        batch.add(record(records, u));
      }
      f.produce(topic, batch);
      long next = start.toEpochMilli() + (s + 1) * 100L;
      long wait = next - System.currentTimeMillis();
      if (wait > 0) Thread.sleep(wait);
    }
    f.awaitJob(
        job,
        "latency rows",
        Duration.ofMinutes(5),
        () -> rows.getAsLong() >= stored + LATENCY_RECORDS);
    List<Long> latencies = new ArrayList<>();
    for (var r :
        f.cassandra.execute(
            "SELECT fetched_at, writetime(first_name) FROM "
                + table
                + " WHERE run_id = 'bench' ALLOW FILTERING")) {
      latencies.add(r.getLong(1) / 1000 - r.getInstant(0).toEpochMilli());
    }
    Collections.sort(latencies);
    return latencies;
  }

  /** A user as a Kafka key and value in the writer's format. */
  private static byte[][] record(RecordWriter writer, GenericRecord u) {
    return new byte[][] {JobFixture.bytes(JobFixture.text(u, "id")), writer.write(u)};
  }

  /** Raw async driver inserts of N users into a copy of the table, same node, rows/s. */
  private static double rawDriverRate(JobFixture f, String table) {
    f.cassandra.execute(
        "CREATE TABLE IF NOT EXISTS "
            + table
            + "_raw (id uuid PRIMARY KEY, first_name text,"
            + " last_name text, gender text, address text, post_code text, email text,"
            + " username text, dob timestamp, registered_date timestamp, phone text,"
            + " picture text, source text, fetched_at timestamp, run_id text, schema_version int)");
    PreparedStatement insert =
        f.cassandra.prepare(
            "INSERT INTO "
                + table
                + "_raw (id, first_name, last_name, gender, address,"
                + " post_code, email, username, dob, registered_date, phone, picture, source,"
                + " fetched_at, run_id, schema_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?)");
    AsyncWriter<Integer> raw = new AsyncWriter<>(f.cassandra, 256, (i, e) -> {});
    // why: warmed up as the job is, on WARM_UP rows of their own
    Instant rawStart = Instant.now();
    for (int i = -WARM_UP; i < N; i++) {
      if (i == 0) {
        raw.flush();
        rawStart = Instant.now();
      }
      GenericRecord u = JobFixture.user(2 * N + WARM_UP + i);
      raw.write(
          i,
          insert.bind(
              UUID.fromString(JobFixture.text(u, "id")),
              JobFixture.text(u, "first_name"),
              JobFixture.text(u, "last_name"),
              JobFixture.text(u, "gender"),
              JobFixture.text(u, "address"),
              JobFixture.text(u, "post_code"),
              JobFixture.text(u, "email"),
              JobFixture.text(u, "username"),
              JobFixture.instant(u, "dob"),
              JobFixture.instant(u, "registered_date"),
              JobFixture.text(u, "phone"),
              JobFixture.text(u, "picture"),
              JobFixture.text(u, "source"),
              JobFixture.instant(u, "fetched_at"),
              JobFixture.text(u, "run_id"),
              (int) u.get("schema_version")));
    }
    raw.flush();
    return N / seconds(rawStart, Instant.now());
  }

  /** The Kafka records {@code query} of the job has read so far, from its progress file. */
  private static long read(SparkJobProcess job, String query) {
    long sum = 0;
    for (var source : progress(job).path(query).path("end_offsets")) {
      try {
        for (var topic : new ObjectMapper().readTree(source.asText())) {
          for (var offset : topic) sum += offset.asLong();
        }
      } catch (java.io.IOException e) {
        return 0;
      }
    }
    return sum;
  }

  /** The lake query's last batch id, -1 before its first. */
  private static long lakeBatch(SparkJobProcess job) {
    return progress(job).path(LAKE).path("batch_id").asLong(-1);
  }

  private static com.fasterxml.jackson.databind.JsonNode progress(SparkJobProcess job) {
    try {
      return new ObjectMapper().readTree(job.progressFile().toFile()).path("queries");
    } catch (java.io.IOException e) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
  }

  /**
   * The ids of the first user of {@code backlog} in each partition of its topic (Kafka's default
   * partitioner: murmur2 of the key), as a CQL list: the first rows the job writes.
   */
  private static String firstOfEachPartition(JobFixture f, List<byte[][]> backlog) {
    int partitions = f.config.get(Settings.TOPIC_PARTITIONS);
    java.util.Map<Integer, String> first = new java.util.TreeMap<>();
    for (byte[][] kv : backlog) {
      int p =
          org.apache.kafka.common.utils.Utils.toPositive(
                  org.apache.kafka.common.utils.Utils.murmur2(kv[0]))
              % partitions;
      first.putIfAbsent(p, new String(kv[0], java.nio.charset.StandardCharsets.UTF_8));
    }
    return "(" + String.join(", ", first.values()) + ")";
  }

  /**
   * With {@code -Dsluice.bench.profile=<dir>}, starts ({@code action} "start") or stops and writes
   * to {@code <dir>/<phase>.jfr} ("stop") a flight recording of the job JVM, through {@code jcmd};
   * otherwise does nothing.
   */
  private static void profile(SparkJobProcess job, String action, String phase) throws Exception {
    if (PROFILE_DIR.isEmpty()) return;
    String pid = Long.toString(job.pid());
    String jcmd = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    List<List<String>> commands =
        action.equals("start")
            // why: Spark's task stacks are deeper than the default 64 frames
            ? List.of(
                List.of(jcmd, pid, "JFR.configure", "stackdepth=256"),
                List.of(jcmd, pid, "JFR.start", "name=" + phase, "settings=profile"))
            : List.of(
                List.of(
                    jcmd,
                    pid,
                    "JFR.stop",
                    "name=" + phase,
                    "filename="
                        + java.nio.file.Path.of(PROFILE_DIR, phase + ".jfr").toAbsolutePath()));
    for (List<String> c : commands) {
      Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) System.out.println("profile: " + String.join(" ", c) + ": " + out);
    }
  }

  /** The CPU time the job JVM has used so far. */
  private static Duration cpu(SparkJobProcess job) {
    return ProcessHandle.of(job.pid())
        .flatMap(p -> p.info().totalCpuDuration())
        .orElse(Duration.ZERO);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
