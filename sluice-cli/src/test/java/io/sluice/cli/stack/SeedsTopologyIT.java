package io.sluice.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.sluice.cli.InProcessSluice;
import io.sluice.cli.SluiceProcess.Result;
import io.sluice.cli.TestUsers;
import io.sluice.cli.audit.LakeCountsProcess;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalSettings;
import io.sluice.local.Ports;
import io.sluice.local.StackListener;
import io.sluice.local.StackNodes;
import io.sluice.local.junit.SluiceStackExtension;
import io.sluice.records.JsonRecords;
import io.sluice.spark.launch.SparkJobProcess;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeds' topology started as {@code sluice up} starts it ({@link TopologyStack}): three Kafka
 * nodes with the users topic at replication factor 3, and the users job submitted with the job jar
 * to a Spark master and worker; every user lands once in Cassandra. On the three nodes, a topic
 * just created is known to each node, and seed 003's commands work as the seed types them. In the
 * suite: 200 users and one Cassandra node. With {@code -Pfaults-full} ({@code sluice.seeds.full}):
 * the whole {@code --profile seeds} (a ring of three Cassandra nodes at RF 3 and QUORUM, and
 * PostgreSQL), 2,000 users counted in Cassandra and in the lake, then one Kafka node and one
 * Cassandra node stopped and 2,000 more users, and the counts stay exact.
 */
class SeedsTopologyIT {
  private static final boolean FULL = Boolean.getBoolean("sluice.seeds.full");
  private static final int USERS = FULL ? 2_000 : 200;

  @BeforeAll
  static void jobJarOfThisBuild() {
    // why: the stream tasks submit the shaded job jar the sluice-spark module built
    System.setProperty("sluice.home", Path.of("..").toAbsolutePath().normalize().toString());
  }

  @Test
  void usersPipelineOnThreeKafkaNodesAndAStandaloneSparkClusterStoresEveryUserOnce()
      throws Exception {
    Path dataDir = Files.createTempDirectory("sluice-seeds-");
    SluiceConfig base = topologyConfig(dataDir);
    try (TopologyStack stack = TopologyStack.start(base, StackListener.logging(), System.err)) {
      runOn(stack, dataDir);
    } finally {
      SluiceStackExtension.deleteRecursively(dataDir);
    }
  }

  private static void runOn(TopologyStack stack, Path dataDir) throws Exception {
    SluiceConfig config =
        stack
            .config(stack.stack().config())
            .with(Settings.SPARK_DRIVER_MEMORY, "768m")
            .with(Settings.SPARK_LAKE_TRIGGER, "5s");
    assertThat(config.get(Settings.SPARK_MASTER)).startsWith("spark://");
    assertThat(stack.stack().kafka().runningNodeIds()).containsExactly(1, 2, 3);
    String topic = config.get(Settings.USERS_TOPIC);
    usersTopicHasThreeReplicasAndTwoInSync(config, topic);
    aNewTopicIsKnownToEveryNodeOnceCreated(config);
    seed003sCommands(config);

    produce(config, topic, 0, USERS, "run-1");
    runUsersJob(config);
    assertExactCounts(config, Map.of("run-1", (long) USERS));
    // the executors ran on the worker, with the job jar they fetched from the driver
    try (Stream<Path> files = Files.walk(stack.spark().workDir())) {
      assertThat(files.map(p -> p.getFileName().toString())).contains("sluice-spark-jobs.jar");
    }

    if (FULL) {
      StackNodes.requestStop(dataDir, "kafka-2", Duration.ofMinutes(1));
      StackNodes.requestStop(dataDir, "cassandra-2", Duration.ofMinutes(1));
      assertThat(stack.stack().kafka().runningNodeIds()).containsExactly(1, 3);
      SluiceConfig survivors =
          config.with(Settings.KAFKA_BOOTSTRAP, stack.stack().kafka().bootstrapServers());
      produce(survivors, topic, USERS, USERS, "run-2");
      runUsersJob(survivors);
      assertExactCounts(survivors, Map.of("run-1", (long) USERS, "run-2", (long) USERS));
    }
  }

  private static void usersTopicHasThreeReplicasAndTwoInSync(SluiceConfig config, String topic)
      throws Exception {
    TopicProvisioner.ensure(config);
    try (Admin admin = TopicProvisioner.admin(config)) {
      TopicDescription users =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      assertThat(users.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      assertThat(
              admin
                  .describeConfigs(List.of(resource))
                  .all()
                  .get()
                  .get(resource)
                  .get("min.insync.replicas")
                  .value())
          .isEqualTo("2");
    }
  }

  /**
   * A topic {@link TopicProvisioner#ensure} created is known at once to every node: a client
   * bootstrapped from any one of them finds it with a leader for each partition, asking once.
   */
  private static void aNewTopicIsKnownToEveryNodeOnceCreated(SluiceConfig config) throws Exception {
    String topic = "seeds.propagation";
    assertThat(TopicProvisioner.ensure(config, topic)).containsExactly(topic);
    String[] nodes = config.get(Settings.KAFKA_BOOTSTRAP).split(",");
    assertThat(nodes).hasSize(3);
    for (String node : nodes) {
      try (Admin one = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node))) {
        TopicDescription seen = one.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertThat(seen.partitions())
            .as("partitions of %s as %s sees them", topic, node)
            .isNotEmpty()
            .allSatisfy(p -> assertThat(p.leader()).isNotNull())
            .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      }
    }
  }

  /**
   * Seed 003's commands, typed as the seed types them: the metadata database initialised, its admin
   * user (refused with the seed's own password, created with a longer one), the DAGs listed, a
   * topic at replication factor 3 on the three nodes, and the console consumer from the beginning.
   */
  private static void seed003sCommands(SluiceConfig config) throws Exception {
    try {
      seed003sAirflowCommands(config);
      seed003sTopicCommands(config);
    } finally {
      InProcessSluice.forget();
    }
  }

  private static void seed003sAirflowCommands(SluiceConfig config) {
    Result init = InProcessSluice.runWith(config, "db", "init");
    assertThat(init.exit()).as(init.err()).isZero();
    String[] admin = {
      "users",
      "create",
      "--role",
      "Admin",
      "--username",
      "admin",
      "--email",
      "admin",
      "--firstname",
      "admin",
      "--lastname",
      "admin",
      "--password"
    };
    Result refused = InProcessSluice.runWith(config, with(admin, "admin"));
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("password refused by the password rule");
    Result created = InProcessSluice.runWith(config, with(admin, "admin-of-the-seeds"));
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("created user 'admin' with role admin");
    Result dags = InProcessSluice.runWith(config, "dags", "list");
    assertThat(dags.exit()).as(dags.err()).isZero();
  }

  private static void seed003sTopicCommands(SluiceConfig config) throws Exception {
    Result created =
        InProcessSluice.runWith(
            config, "topics", "create", "names_topic", "--replication-factor", "3");
    assertThat(created.exit()).as(created.err()).isZero();
    try (Admin admin = TopicProvisioner.admin(config)) {
      assertThat(
              admin
                  .describeTopics(List.of("names_topic"))
                  .allTopicNames()
                  .get()
                  .get("names_topic")
                  .partitions())
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
    }
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            config.get(Settings.KAFKA_BOOTSTRAP),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String name : List.of("Ada", "Grace", "Edsger"))
        producer.send(new ProducerRecord<>("names_topic", bytes(name))).get();
    }
    Result consumed =
        InProcessSluice.runWith(
            config, "topics", "consume", "names_topic", "--from-beginning", "--max", "3");
    assertThat(consumed.exit()).as(consumed.err()).isZero();
    assertThat(consumed.lines()).containsExactlyInAnyOrder("Ada", "Grace", "Edsger");
  }

  private static String[] with(String[] head, String last) {
    String[] all = Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }

  /** Free ports for every server, the Kafka nodes' ports 100 apart as the stack places them. */
  private static SluiceConfig topologyConfig(Path dataDir) {
    SluiceConfig c = SluiceStackExtension.testConfig(dataDir);
    int[] kafka = kafkaBase();
    c =
        c.with(Settings.KAFKA_PORT, Integer.toString(kafka[0]), "test")
            .with(LocalSettings.KAFKA_CONTROLLER_PORT, Integer.toString(kafka[1]), "test")
            .with(LocalSettings.SPARK_CLUSTER, "standalone", "test");
    if (FULL) return c.with(Settings.STACK_PROFILE, "seeds", "test");
    return c.with(LocalSettings.KAFKA_NODES, "3", "test");
  }

  private static int[] kafkaBase() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int[] two = Ports.free(2);
      boolean free = true;
      for (int node = 1; node < 3 && free; node++)
        free = Ports.isFree(two[0] + 100 * node) && Ports.isFree(two[1] + 100 * node);
      if (free && two[0] + 200 < 65536 && two[1] + 200 < 65536) return two;
    }
    throw new IllegalStateException("no free ports for three Kafka nodes");
  }

  private static void produce(SluiceConfig config, String topic, int from, int n, String runId)
      throws Exception {
    Map<String, Object> props =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            config.get(Settings.KAFKA_BOOTSTRAP),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (var producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = from; i < from + n; i++) {
        GenericRecord user = TestUsers.user("seeds-user-", i, runId);
        var record =
            new ProducerRecord<>(topic, bytes(user.get("id").toString()), JsonRecords.encode(user));
        record.headers().add(io.sluice.ingest.kafka.Headers.RUN_ID, bytes(runId));
        producer.send(record);
      }
      producer.flush();
    }
  }

  private static void runUsersJob(SluiceConfig config) throws Exception {
    SparkJobProcess job = SparkJobProcess.start(config, "users", List.of("--available-now"));
    try {
      // why: a generous bound; on a loaded two-core machine the driver, the executor and three
      // Kafka nodes share the cores
      int exit = job.waitFor(Duration.ofMinutes(FULL ? 20 : 12));
      assertThat(exit).as("users job exit; its log:%n%s", tail(job.log())).isZero();
    } finally {
      job.kill();
    }
  }

  private static void assertExactCounts(SluiceConfig config, Map<String, Long> perRun) {
    long total = perRun.values().stream().mapToLong(Long::longValue).sum();
    String table = config.get(Settings.USERS_KEYSPACE) + "." + config.get(Settings.USERS_TABLE);
    try (CqlSession cql = session(config)) {
      if (FULL)
        assertThat(
                cql.execute(
                        "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?",
                        config.get(Settings.USERS_KEYSPACE))
                    .one()
                    .getMap("replication", String.class, String.class))
            .containsEntry("replication_factor", "3");
      long rows = 0;
      for (var row : cql.execute("SELECT id FROM " + table)) rows++;
      assertThat(rows).as("rows in " + table).isEqualTo(total);
    }
    // why: a Spark JVM of its own; the suite's variant leaves the lake to UsersJobIT
    if (FULL)
      assertThat(LakeCountsProcess.count(config, "users", Duration.ofMinutes(5)))
          .as("committed rows in the lake per run")
          .isEqualTo(perRun);
  }

  private static CqlSession session(SluiceConfig config) {
    var builder =
        CqlSession.builder()
            .withLocalDatacenter(config.get(Settings.CASSANDRA_DATACENTER))
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                    .withString(
                        DefaultDriverOption.REQUEST_CONSISTENCY,
                        config.get(Settings.CASSANDRA_CONSISTENCY))
                    .withInt(DefaultDriverOption.REQUEST_PAGE_SIZE, 1000)
                    .build());
    for (String cp : config.get(Settings.CASSANDRA_CONTACT_POINTS).split(",")) {
      int colon = cp.lastIndexOf(':');
      builder.addContactPoint(
          new InetSocketAddress(cp.substring(0, colon), Integer.parseInt(cp.substring(colon + 1))));
    }
    return builder.build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (Exception e) {
      return "(no log)";
    }
  }
}
