package io.sluice.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Every setting Sluice reads. An empty connection setting (Kafka bootstrap, Cassandra contact
 * points, S3 endpoint, database URL) means "use the embedded server of the local stack".
 */
public final class Settings {
  private Settings() {}

  public static final ConfigKey<Path> DATA_DIR =
      ConfigKey.builder("data.dir", "SLUICE_DATA_DIR")
          .defaultValue("./data")
          .description(
              "Directory under which every local server keeps its data, logs and pid files.")
          .path();

  public static final ConfigKey<String> STACK_PROFILE =
      ConfigKey.builder("stack.profile", "SLUICE_PROFILE")
          .defaultValue("small")
          .description(
              "Topology of the local stack: small (one node of each server) or seeds (3 Kafka"
                  + " nodes, 3 Cassandra nodes, a Spark master and worker, PostgreSQL metadata)."
                  + " kafka.nodes, cassandra.nodes, spark.cluster and db.metadata each override"
                  + " their part.")
          .oneOf("small", "seeds");
  public static final ConfigKey<String> KAFKA_BOOTSTRAP =
      ConfigKey.builder("kafka.bootstrap", "SLUICE_KAFKA_BOOTSTRAP")
          .description("Kafka bootstrap servers (host:port,...). Empty: the embedded broker.")
          .string();
  public static final ConfigKey<Integer> KAFKA_PORT =
      ConfigKey.builder("kafka.port", "SLUICE_KAFKA_PORT")
          .defaultValue("9092")
          .description("Port of the embedded Kafka broker.")
          .port();

  public static final ConfigKey<String> CASSANDRA_CONTACT_POINTS =
      ConfigKey.builder("cassandra.contact-points", "SLUICE_CASSANDRA_CONTACT_POINTS")
          .description("Cassandra contact points (host:port,...). Empty: the embedded node.")
          .string();
  public static final ConfigKey<Integer> CASSANDRA_PORT =
      ConfigKey.builder("cassandra.port", "SLUICE_CASSANDRA_PORT")
          .defaultValue("9042")
          .description("CQL port of the embedded Cassandra node.")
          .port();
  public static final ConfigKey<String> CASSANDRA_DATACENTER =
      ConfigKey.builder("cassandra.local-datacenter", "SLUICE_CASSANDRA_DATACENTER")
          .defaultValue("datacenter1")
          .description("Local datacenter name the Cassandra driver routes to.")
          .string();
  public static final ConfigKey<String> CASSANDRA_REPLICATION =
      ConfigKey.builder("cassandra.replication", "SLUICE_CASSANDRA_REPLICATION")
          .defaultValue("SimpleStrategy:1")
          .description(
              "Keyspace replication: SimpleStrategy:RF or NetworkTopologyStrategy:dc1=RF,dc2=RF.")
          .build(
              "SimpleStrategy:<rf> or NetworkTopologyStrategy:<dc>=<rf>[,<dc>=<rf>...]",
              s -> {
                if (!s.matches(
                    "SimpleStrategy:\\d+|NetworkTopologyStrategy:[\\w-]+=\\d+(,[\\w-]+=\\d+)*"))
                  throw new IllegalArgumentException();
                return s;
              });
  public static final ConfigKey<String> CASSANDRA_CONSISTENCY =
      ConfigKey.builder("cassandra.consistency", "SLUICE_CASSANDRA_CONSISTENCY")
          .defaultValue("LOCAL_ONE")
          .description(
              "Consistency level of the jobs' Cassandra reads and writes (ONE, LOCAL_ONE, QUORUM, LOCAL_QUORUM, ALL, ...).")
          .build(
              "a Cassandra consistency level such as LOCAL_ONE or QUORUM",
              s -> {
                String level = s.trim().toUpperCase(java.util.Locale.ROOT);
                if (!level.matches(
                    "ANY|ONE|TWO|THREE|QUORUM|ALL|LOCAL_ONE|LOCAL_QUORUM|EACH_QUORUM"))
                  throw new IllegalArgumentException();
                return level;
              });
  public static final ConfigKey<String> CASSANDRA_KEYSPACE =
      ConfigKey.builder("cassandra.keyspace", "CASSANDRA_KEYSPACE")
          .defaultValue("analytics")
          .description("Keyspace of the weather tables (seed 004's CASSANDRA_KEYSPACE).")
          .string();
  public static final ConfigKey<String> HOURLY_SINK_TABLE =
      ConfigKey.builder("cassandra.hourly-table", "HOURLY_SINK_TABLE")
          .defaultValue("hourlydata")
          .description("Table of hourly weather rows.")
          .string();
  public static final ConfigKey<String> DAILY_SINK_TABLE =
      ConfigKey.builder("cassandra.daily-table", "DAILY_SINK_TABLE")
          .defaultValue("dailydata")
          .description("Table of daily weather rows.")
          .string();
  public static final ConfigKey<String> USERS_KEYSPACE =
      ConfigKey.builder("cassandra.users-keyspace", "SLUICE_USERS_KEYSPACE")
          .defaultValue("spark_streams")
          .description("Keyspace of the users table.")
          .string();
  public static final ConfigKey<String> USERS_TABLE =
      ConfigKey.builder("cassandra.users-table", "SLUICE_USERS_TABLE")
          .defaultValue("created_users")
          .description("Table of ingested users.")
          .string();

  // why: an endpoint every process needs (ingest, jobs, CLI, web, local stack), so owned here with
  // the other endpoints rather than by the registry server's module
  public static final ConfigKey<String> SCHEMA_REGISTRY_URL =
      ConfigKey.builder("schema-registry.url", "SLUICE_SCHEMA_REGISTRY_URL")
          .description(
              "URL of a Confluent-compatible schema registry (Confluent, Apicurio, Redpanda)."
                  + " Empty: the local stack's own registry.")
          .build(
              "an http or https URL",
              s -> {
                java.net.URI u = java.net.URI.create(s);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()))
                  throw new IllegalArgumentException(s);
                return s;
              });

  public static final ConfigKey<String> S3_ENDPOINT =
      ConfigKey.builder("s3.endpoint", "SLUICE_S3_ENDPOINT")
          .description("S3 endpoint URL. Empty: the embedded S3 server.")
          .string();
  public static final ConfigKey<Integer> S3_PORT =
      ConfigKey.builder("s3.port", "SLUICE_S3_PORT")
          .defaultValue("9000")
          .description("Port of the embedded S3 server.")
          .port();
  public static final ConfigKey<String> S3_BUCKET =
      ConfigKey.builder("s3.bucket", "SLUICE_S3_BUCKET")
          .defaultValue("sluice")
          .description("Bucket of the data lake.")
          .string();
  public static final ConfigKey<String> S3_REGION =
      ConfigKey.builder("s3.region", "SLUICE_S3_REGION")
          .aliases("AWS_REGION")
          .defaultValue("us-east-1")
          .description("S3 region.")
          .string();
  public static final ConfigKey<String> S3_ACCESS_KEY =
      ConfigKey.builder("s3.access-key", "SLUICE_S3_ACCESS_KEY")
          .aliases("AWS_ACCESS_KEY_ID")
          .defaultValue("sluice")
          .description("S3 access key id.")
          .string();
  public static final ConfigKey<String> S3_SECRET_KEY =
      ConfigKey.builder("s3.secret-key", "SLUICE_S3_SECRET_KEY")
          .aliases("AWS_SECRET_ACCESS_KEY")
          .defaultValue("sluice-local-secret")
          .description("S3 secret access key.")
          .secret()
          .string();

  public static final ConfigKey<String> DB_URL =
      ConfigKey.builder("db.url", "SLUICE_DB_URL")
          .description(
              "JDBC URL of the metadata database. Empty: the embedded H2 database under the data directory.")
          .string();
  public static final ConfigKey<String> DB_METADATA =
      ConfigKey.builder("db.metadata", "SLUICE_METADATA")
          .description(
              "Server of the local stack's metadata database on db.port: h2 (embedded, files under"
                  + " the data directory) or postgres (Debian's packaged PostgreSQL server when"
                  + " installed, else embedded binaries; its cluster under <data dir>/metadata/postgres,"
                  + " its password generated). Empty: h2, or postgres with the seeds profile.")
          .oneOf("h2", "postgres");
  public static final ConfigKey<Integer> DB_PORT =
      ConfigKey.builder("db.port", "SLUICE_DB_PORT")
          .defaultValue("9095")
          .description("TCP port of the embedded metadata database server.")
          .port();
  public static final ConfigKey<String> DB_USER =
      ConfigKey.builder("db.user", "SLUICE_DB_USER")
          .defaultValue("sluice")
          .description("User of the metadata database.")
          .string();
  public static final ConfigKey<String> DB_PASSWORD =
      ConfigKey.builder("db.password", "SLUICE_DB_PASSWORD")
          .description(
              "Password of the metadata database. Empty: generated once and kept in <data dir>/secrets/db.password.")
          .secret()
          .string();

  public static final ConfigKey<String> RANDOMUSER_URL =
      ConfigKey.builder("source.randomuser-url", "RANDOMUSER_URL")
          .defaultValue("https://randomuser.me/api/")
          .description("Full Random User Generator endpoint.")
          .string();
  public static final ConfigKey<String> OPENMETEO_URL =
      ConfigKey.builder("source.openmeteo-url", "BASE_URL")
          .defaultValue("https://api.open-meteo.com/v1/forecast")
          .description("Full Open-Meteo endpoint (seed 004's BASE_URL); backfills go here too.")
          .string();
  public static final ConfigKey<Duration> SOURCE_TIMEOUT =
      ConfigKey.builder("source.timeout", "SLUICE_SOURCE_TIMEOUT")
          .defaultValue("30s")
          .description(
              "Time allowed for one answer of a REST source before the attempt is retried.")
          .duration();
  public static final ConfigKey<Integer> SOURCE_MAX_RETRIES =
      ConfigKey.builder("source.max-retries", "SLUICE_SOURCE_MAX_RETRIES")
          .defaultValue("10")
          .description("Retries of a failed REST source request (429, 5xx, timeouts, broken JSON).")
          .positiveInt();
  public static final ConfigKey<Integer> SOURCE_RATE_LIMIT =
      ConfigKey.builder("source.rate-limit", "SLUICE_SOURCE_RATE_LIMIT")
          .defaultValue("20")
          .description("Requests per second allowed to each REST source.")
          .positiveInt();

  public static final ConfigKey<String> USERS_TOPIC =
      ConfigKey.builder("topics.users", "SLUICE_USERS_TOPIC")
          .defaultValue("users_created")
          .description("Topic of ingested users.")
          .string();
  public static final ConfigKey<String> HOURLY_DATA_TOPIC =
      ConfigKey.builder("topics.hourly", "HOURLY_DATA_TOPIC")
          .defaultValue("weather.hourly")
          .description("Topic of hourly weather records.")
          .string();
  public static final ConfigKey<String> DAILY_DATA_TOPIC =
      ConfigKey.builder("topics.daily", "DAILY_DATA_TOPIC")
          .defaultValue("weather.daily")
          .description("Topic of daily weather records.")
          .string();
  public static final ConfigKey<String> DLQ_TOPIC =
      ConfigKey.builder("topics.dlq", "SLUICE_DLQ_TOPIC")
          .defaultValue("sluice.dlq")
          .description("Dead-letter topic: every record that cannot be processed, with the reason.")
          .string();
  public static final ConfigKey<String> PROGRESS_TOPIC =
      ConfigKey.builder("topics.progress", "SLUICE_PROGRESS_TOPIC")
          .defaultValue("sluice.ingest.progress")
          .description("Compacted topic of ingest progress, written in each page's transaction.")
          .string();
  public static final ConfigKey<Integer> TOPIC_PARTITIONS =
      ConfigKey.builder("topics.partitions", "SLUICE_TOPIC_PARTITIONS")
          .defaultValue("3")
          .description("Partitions of provisioned topics.")
          .positiveInt();
  public static final ConfigKey<Integer> TOPIC_REPLICATION =
      ConfigKey.builder("topics.replication-factor", "SLUICE_TOPIC_REPLICATION_FACTOR")
          .defaultValue("1")
          .description("Replication factor of provisioned topics.")
          .positiveInt();
  public static final ConfigKey<Integer> TOPIC_MIN_ISR =
      ConfigKey.builder("topics.min-insync-replicas", "SLUICE_TOPIC_MIN_ISR")
          .defaultValue("1")
          .description("min.insync.replicas of provisioned topics.")
          .positiveInt();
  public static final ConfigKey<String> TOPIC_COMPRESSION =
      ConfigKey.builder("topics.compression", "SLUICE_TOPIC_COMPRESSION")
          .defaultValue("lz4")
          .description("Compression of provisioned topics and of the producers.")
          .oneOf("none", "gzip", "snappy", "lz4", "zstd", "producer");
  public static final ConfigKey<Duration> TOPIC_RETENTION =
      ConfigKey.builder("topics.retention", "SLUICE_TOPIC_RETENTION")
          .defaultValue("P7D")
          .description("Retention of provisioned topics.")
          .duration();

  public static final ConfigKey<String> DAILY_AGGREGATE_TABLE =
      ConfigKey.builder("cassandra.daily-aggregate-table", "DAILY_AGGREGATE_TABLE")
          .defaultValue("daily_aggregates")
          .description(
              "Table of per-day min/max/mean temperature and precipitation sum derived from hourly rows.")
          .string();
  public static final ConfigKey<String> SPARK_MASTER =
      ConfigKey.builder("spark.master", "SLUICE_SPARK_MASTER")
          .defaultValue("local[*]")
          .description(
              "Spark master of locally launched jobs (local[*], spark://host:7077, ...). local[*]"
                  + " runs as many task slots as cores, and at least two per topic partition.")
          .string();
  public static final ConfigKey<String> SPARK_UI_URL =
      ConfigKey.builder("spark.ui-url", "SLUICE_SPARK_UI_URL")
          .description(
              "Web UI of the Spark master, linked from the pipeline page. Set by the local stack"
                  + " when it starts a standalone cluster.")
          .string();
  public static final ConfigKey<String> SPARK_CHECKPOINT_DIR =
      ConfigKey.builder("spark.checkpoint-dir", "SLUICE_SPARK_CHECKPOINT_DIR")
          .description(
              "Checkpoint root of the stream jobs (a path or s3a://bucket/prefix). Empty: <data.dir>/checkpoints.")
          .string();
  public static final ConfigKey<Duration> SPARK_LAKE_TRIGGER =
      ConfigKey.builder("spark.lake-trigger", "SLUICE_SPARK_LAKE_TRIGGER")
          .defaultValue("PT30S")
          .description(
              "Micro-batch interval of the Parquet lake queries: longer means fewer, larger files.")
          .duration();
  public static final ConfigKey<Integer> SPARK_CONCURRENT_STARTS =
      ConfigKey.builder("spark.concurrent-starts", "SLUICE_SPARK_CONCURRENT_STARTS")
          .defaultValue("1")
          .description(
              "How many local Spark job JVMs of stream tasks may start at once; the next starts"
                  + " when one has run its first micro-batch (or after two minutes). One suits a"
                  + " small machine: the first job reaches its first batch sooner.")
          .positiveInt();
  public static final ConfigKey<String> SPARK_DRIVER_MEMORY =
      ConfigKey.builder("spark.driver-memory", "SLUICE_SPARK_DRIVER_MEMORY")
          .defaultValue("768m")
          .description("Heap (-Xmx) of a locally launched Spark job JVM.")
          .string();
  public static final ConfigKey<String> SPARK_HOME =
      ConfigKey.builder("spark.home", "SPARK_HOME")
          .description("Spark distribution used by 'sluice spark submit' (its bin/spark-submit).")
          .string();

  public static final ConfigKey<Path> DAGS_FOLDER =
      ConfigKey.builder("dags.folder", "SLUICE_DAGS_FOLDER")
          .defaultValue("./dags")
          .description("Folder of YAML DAG files, watched and reloaded.")
          .path();
  public static final ConfigKey<Integer> EXECUTOR_THREADS =
      ConfigKey.builder("executor.threads", "SLUICE_EXECUTOR_THREADS")
          .defaultValue("8")
          .description("Threads of the local executor.")
          .positiveInt();
  public static final ConfigKey<Duration> SCHEDULER_TICK =
      ConfigKey.builder("scheduler.tick", "SLUICE_SCHEDULER_TICK")
          .defaultValue("1s")
          .description(
              "How often the scheduler creates due runs and checks retries, timeouts and heartbeats (hand-offs between tasks do not wait for it); with nothing changed in its process and nothing due, it reads the database once in 5 ticks.")
          .duration();
  public static final ConfigKey<Duration> SCHEDULER_HEARTBEAT =
      ConfigKey.builder("scheduler.heartbeat", "SLUICE_SCHEDULER_HEARTBEAT")
          .defaultValue("5s")
          .description("How often an executor records that its queued and running tasks are alive.")
          .duration();
  public static final ConfigKey<Duration> SCHEDULER_ZOMBIE_THRESHOLD =
      ConfigKey.builder("scheduler.zombie-threshold", "SLUICE_SCHEDULER_ZOMBIE_THRESHOLD")
          .defaultValue("60s")
          .description(
              "A running task whose executor has not sent a heartbeat for this long is failed or retried.")
          .duration();
  public static final ConfigKey<Duration> SCHEDULER_SHUTDOWN_GRACE =
      ConfigKey.builder("scheduler.shutdown-grace", "SLUICE_SCHEDULER_SHUTDOWN_GRACE")
          .defaultValue("30s")
          .description(
              "On shutdown, how long running tasks may finish before they are interrupted.")
          .duration();
  public static final ConfigKey<Boolean> SCHEDULER_EXECUTE =
      ConfigKey.builder("scheduler.execute", "SLUICE_SCHEDULER_EXECUTE")
          .defaultValue("true")
          .description(
              "Whether the scheduler also runs tasks on its local executor; false leaves them to 'sluice worker' processes.")
          .bool();
  public static final ConfigKey<Duration> WORKER_POLL =
      ConfigKey.builder("worker.poll", "SLUICE_WORKER_POLL")
          .defaultValue("50ms")
          .description(
              "How often an idle 'sluice worker' looks for scheduled tasks (a busy one takes the next at once).")
          .duration();
  public static final ConfigKey<Duration> HISTORY_RETENTION =
      ConfigKey.builder("scheduler.history-retention", "SLUICE_SCHEDULER_HISTORY_RETENTION")
          .defaultValue("0s")
          .description(
              "Finished DAG runs older than this are deleted with their task instances, XComs and logs (the latest scheduled run of each DAG is kept); 0s keeps everything.")
          .duration();

  public static final ConfigKey<String> HMAC_KEY =
      ConfigKey.builder("privacy.hmac-key", "SLUICE_HMAC_KEY")
          .description(
              "Key of the HMAC-SHA256 that replaces post codes. Empty: generated once under the data directory.")
          .secret()
          .string();
  public static final ConfigKey<Boolean> MASK_CONTACT =
      ConfigKey.builder("privacy.mask-contact", "SLUICE_MASK_CONTACT")
          .defaultValue("false")
          .description("Mask e-mail addresses and phone numbers of ingested users.")
          .bool();
  public static final ConfigKey<String> SECRET_KEY =
      ConfigKey.builder("secrets.key", "SLUICE_SECRET_KEY")
          .description(
              "Key that encrypts connections at rest. Empty: generated once under the data directory.")
          .secret()
          .string();

  /** The core's keys, then those of every {@link ModuleSettings} on the class path. */
  public static List<ConfigKey<?>> all() {
    var keys = new ArrayList<ConfigKey<?>>(ModuleSettings.declaredIn(Settings.class));
    for (ModuleSettings module : ServiceLoader.load(ModuleSettings.class))
      keys.addAll(module.keys());
    return keys;
  }
}
