package io.sluice.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.ingest.randomuser.UserMapper;
import io.sluice.local.LocalStack;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordBuilder;
import io.sluice.records.RecordType;
import io.sluice.spark.launch.SparkJobProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;

/**
 * What the job integration tests share: a configuration of their own (topics, keyspace, bucket and
 * data directory named after the test) on the shared local stack, and ways to produce input, read
 * the tables, the lake and the dead-letter topic, and wait for conditions.
 */
final class JobFixture implements AutoCloseable {
  final LocalStack stack;
  final SluiceConfig config;
  final CqlSession cassandra;
  private final List<SparkJobProcess> jobs = new ArrayList<>();
  private SparkSession spark;
  private KafkaProducer<byte[], byte[]> producer;

  JobFixture(LocalStack stack, String name) throws Exception {
    this(stack, name, java.util.Map.of());
  }

  /** With {@code overrides} applied last (e.g. a product default the tests shorten). */
  JobFixture(
      LocalStack stack,
      String name,
      java.util.Map<io.sluice.core.config.ConfigKey<?>, String> overrides)
      throws Exception {
    this.stack = stack;
    Path dataDir = Files.createTempDirectory("sluice-" + name + "-");
    SluiceConfig c =
        stack
            .config()
            .with(Settings.DATA_DIR, dataDir.toString())
            .with(Settings.USERS_TOPIC, name + ".users")
            .with(Settings.HOURLY_DATA_TOPIC, name + ".hourly")
            .with(Settings.DAILY_DATA_TOPIC, name + ".daily")
            .with(Settings.DLQ_TOPIC, name + ".dlq")
            .with(Settings.USERS_KEYSPACE, name.replace('-', '_') + "_streams")
            .with(Settings.CASSANDRA_KEYSPACE, name.replace('-', '_') + "_analytics")
            .with(Settings.S3_BUCKET, name)
            .with(Settings.SPARK_LAKE_TRIGGER, "2s")
            .with(Settings.SPARK_DRIVER_MEMORY, "768m");
    for (var o : overrides.entrySet()) c = c.with(o.getKey(), o.getValue());
    this.config = c;
    // why: the brokers create no topic on first use; the jobs' topics are made as the product makes
    // them, before a test produces its input
    TopicProvisioner.ensure(config);
    this.cassandra =
        CqlSession.builder()
            .addContactPoint(stack.cassandraContactPoint())
            .withLocalDatacenter(config.get(Settings.CASSANDRA_DATACENTER))
            // why: count(*) over tens of thousands of rows takes longer than the driver's 2 s
            // default
            // on a busy node; a timed-out count must not read as "no rows yet"
            .withConfigLoader(
                com.datastax.oss.driver.api.core.config.DriverConfigLoader.programmaticBuilder()
                    .withDuration(
                        com.datastax.oss.driver.api.core.config.DefaultDriverOption.REQUEST_TIMEOUT,
                        Duration.ofSeconds(60))
                    .build())
            .build();
  }

  SparkJobProcess startJob(String job, String... args) {
    SparkJobProcess p = SparkJobProcess.start(config, job, List.of(args));
    jobs.add(p);
    return p;
  }

  /** User {@code i}, built by field name from the current user schema. */
  static RecordBuilder userBuilder(int i) {
    Instant fetched = Instant.parse("2024-05-01T12:00:00Z").plusSeconds(i);
    return RecordBuilder.of(RecordType.USER)
        .set("schema_version", JsonRecords.MAX_SCHEMA_VERSION)
        .set("id", UUID.nameUUIDFromBytes(("user-" + i).getBytes(StandardCharsets.UTF_8)))
        .set("first_name", "First" + i)
        .set("last_name", "Last" + i)
        .set("gender", i % 2 == 0 ? "female" : "male")
        .set("address", i + " Main Street, Springfield, Oregon, United States")
        .set("post_code", HexFormat.of().formatHex(sha256("postcode-" + i)))
        .set("email", "user" + i + "@example.com")
        .set("username", "user" + i)
        // why: modulo, so that no date of birth passes fetched_at (the validator refuses those)
        .set("dob", Instant.parse("1980-01-01T00:00:00Z").plus(i % 10_000, ChronoUnit.DAYS))
        .set(
            "registered_date",
            Instant.parse("2015-01-01T00:00:00Z").plus(i % 50_000, ChronoUnit.HOURS))
        .set("phone", "+1-555-" + i)
        .set("picture", "https://randomuser.me/api/portraits/men/" + (i % 100) + ".jpg")
        .set("source", UserMapper.SOURCE)
        .set("fetched_at", fetched)
        .set("run_id", "run-1");
  }

  static GenericRecord user(int i) {
    return userBuilder(i).build();
  }

  /** A text field of {@code record}. */
  static String text(GenericRecord record, String field) {
    Object v = record.get(field);
    return v == null ? null : v.toString();
  }

  /** A timestamp field of {@code record}. */
  static Instant instant(GenericRecord record, String field) {
    Object v = record.get(field);
    return v == null ? null : Instant.ofEpochMilli((Long) v);
  }

  void produce(String topic, List<byte[][]> keyValues) {
    synchronized (this) {
      if (producer == null) {
        Properties p = new Properties();
        p.put("bootstrap.servers", stack.kafkaBootstrap());
        p.put("acks", "all");
        p.put("linger.ms", "5");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
      }
    }
    for (byte[][] kv : keyValues) producer.send(new ProducerRecord<>(topic, kv[0], kv[1]));
    producer.flush();
  }

  void produceUsers(int from, int to) {
    List<byte[][]> records = new ArrayList<>();
    for (int i = from; i < to; i++) {
      GenericRecord u = user(i);
      records.add(new byte[][] {bytes(text(u, "id")), JsonRecords.encode(u)});
    }
    produce(config.get(Settings.USERS_TOPIC), records);
  }

  /** A producer of 20 users every 100 ms, from user 0 up to {@code max}, on a thread of its own. */
  SteadyUsers steadyUsers(int max) {
    return new SteadyUsers(this, max);
  }

  /** See {@link #steadyUsers}. */
  static final class SteadyUsers {
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final AtomicInteger produced = new AtomicInteger();
    private final Thread thread;

    private SteadyUsers(JobFixture f, int max) {
      thread =
          new Thread(
              () -> {
                while (producing.get() && produced.get() < max) {
                  int from = produced.get();
                  f.produceUsers(from, from + 20);
                  produced.addAndGet(20);
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "users-producer");
    }

    void start() {
      thread.start();
    }

    /** Stops producing and returns how many users were produced. */
    int stop() throws InterruptedException {
      producing.set(false);
      thread.join();
      return produced.get();
    }
  }

  /**
   * Waits until the users table holds {@code n} rows (up to {@code timeout}) and the lake as many
   * records (up to two minutes more), then asserts that both hold exactly {@code n}.
   */
  void awaitExactlyUsers(SparkJobProcess job, int n, Duration timeout) {
    String table = config.get(Settings.USERS_KEYSPACE) + "." + config.get(Settings.USERS_TABLE);
    awaitJob(job, "every row", timeout, () -> quietly(() -> count(table), 0L) >= n);
    awaitJob(
        job,
        "every lake record",
        Duration.ofSeconds(120),
        () -> quietly(() -> lakeCount("users"), 0L) >= n);
    org.assertj.core.api.Assertions.assertThat(count(table)).isEqualTo(n);
    org.assertj.core.api.Assertions.assertThat(lakeCount("users")).isEqualTo(n);
  }

  long count(String keyspaceTable) {
    return cassandra
        .execute(
            com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                    "SELECT count(*) FROM " + keyspaceTable)
                .setTimeout(Duration.ofSeconds(60)))
        .one()
        .getLong(0);
  }

  /** The committed records of a lake dataset, read as Spark reads it (through the sink's log). */
  long lakeCount(String dataset) {
    return lake().read().parquet(Lake.path(config, dataset)).count();
  }

  SparkSession lake() {
    if (spark == null) spark = SparkSessions.create(config, "lake-reader", "local[1]");
    return spark;
  }

  List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, Duration timeout) {
    Properties p = new Properties();
    p.put("bootstrap.servers", stack.kafkaBootstrap());
    p.put("group.id", "it-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      Instant deadline = Instant.now().plus(timeout);
      while (out.size() < expected && Instant.now().isBefore(deadline)) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // why: a few more polls show that no extra record follows the expected ones
      for (int i = 0; i < 5; i++) consumer.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }

  static String header(ConsumerRecord<?, ?> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    await(what, timeout, condition, Duration.ofMillis(250));
  }

  /** Waits for {@code condition}, looking every {@code poll}. */
  static void await(String what, Duration timeout, BooleanSupplier condition, Duration poll) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline))
        throw new AssertionError("timed out waiting for " + what);
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits for {@code condition}, failing at once with the job's log when the job JVM dies. */
  void awaitJob(SparkJobProcess job, String what, Duration timeout, BooleanSupplier condition) {
    awaitJob(job, what, timeout, condition, Duration.ofMillis(250));
  }

  /** {@link #awaitJob(SparkJobProcess, String, Duration, BooleanSupplier)}, every {@code poll}. */
  void awaitJob(
      SparkJobProcess job,
      String what,
      Duration timeout,
      BooleanSupplier condition,
      Duration poll) {
    await(
        what,
        timeout,
        () -> {
          if (!job.isAlive()) throw new AssertionError("job died; its log:\n" + jobLog(job));
          return condition.getAsBoolean();
        },
        poll);
  }

  static <T> T quietly(Supplier<T> s, T fallback) {
    try {
      return s.get();
    } catch (Exception e) {
      // why: Spark throws AnalysisException, a checked exception, undeclared (e.g. before the lake
      // has its first file)
      return fallback;
    }
  }

  String jobLog(SparkJobProcess p) {
    try {
      return Files.readString(p.log());
    } catch (Exception e) {
      return "(no log)";
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(String s) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(bytes(s));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    for (SparkJobProcess p : jobs) p.stop(Duration.ofSeconds(20));
    if (spark != null) spark.stop();
    if (producer != null) producer.close();
    cassandra.close();
  }
}
