package io.sluice.ingest.kafka;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics Sluice writes, as the configuration describes them (partitions, replication
 * factor, {@code min.insync.replicas}, compression, retention). Existing topics are left as they
 * are.
 */
public final class TopicProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private static final Duration PROPAGATION_TIMEOUT = Duration.ofSeconds(60);

  private TopicProvisioner() {}

  /** The data, dead-letter and progress topics of the configuration. */
  public static List<NewTopic> topics(SluiceConfig config) {
    var topics = new ArrayList<NewTopic>();
    for (var key :
        List.of(
            Settings.USERS_TOPIC,
            Settings.HOURLY_DATA_TOPIC,
            Settings.DAILY_DATA_TOPIC,
            Settings.DLQ_TOPIC)) topics.add(dataTopic(config, config.get(key)));
    topics.add(
        new NewTopic(config.get(Settings.PROGRESS_TOPIC), 1, replication(config))
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                    minIsr(config))));
    return topics;
  }

  /** A topic with the configured partitions, replication, min ISR, compression and retention. */
  public static NewTopic dataTopic(SluiceConfig config, String name) {
    return new NewTopic(name, config.get(Settings.TOPIC_PARTITIONS), replication(config))
        .configs(
            Map.of(
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr(config),
                TopicConfig.COMPRESSION_TYPE_CONFIG, config.get(Settings.TOPIC_COMPRESSION),
                TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(config.get(Settings.TOPIC_RETENTION).toMillis())));
  }

  public static Admin admin(SluiceConfig config) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSettings.bootstrap(config),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000));
  }

  /** Creates every missing topic of the configuration; returns the names it created. */
  public static List<String> ensure(SluiceConfig config) {
    try (Admin admin = admin(config)) {
      return ensure(admin, topics(config));
    }
  }

  /**
   * Creates the data topics {@code names} that are missing, each as {@link #dataTopic} describes
   * it; returns the names it created.
   */
  public static List<String> ensure(SluiceConfig config, String... names) {
    try (Admin admin = admin(config)) {
      return ensure(admin, Arrays.stream(names).map(n -> dataTopic(config, n)).toList());
    }
  }

  public static List<String> ensure(Admin admin, List<NewTopic> topics) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      var missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
      if (missing.isEmpty()) return List.of();
      var created = new ArrayList<String>();
      var results = admin.createTopics(missing).values();
      for (var e : results.entrySet()) {
        try {
          e.getValue().get(30, TimeUnit.SECONDS);
          created.add(e.getKey());
          LOG.info("Created topic {}", e.getKey());
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) throw ex;
        }
      }
      awaitOnEveryBroker(admin, results.keySet(), PROPAGATION_TIMEOUT);
      return created;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topics: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within 30 s while creating topics", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Waits until every broker of the cluster answers for {@code topics} with a leader for each
   * partition. A created topic reaches the other brokers through the metadata log a moment later;
   * until then, a client that asks one of them is told the topic does not exist.
   *
   * @throws IllegalStateException when a broker still does not know a topic after {@code timeout}
   */
  public static void awaitOnEveryBroker(Admin admin, Collection<String> topics, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Node node : admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)) {
      // why: a fresh client bootstrapped from one node asks that node first
      try (Admin one = Admin.create(nodeOnly(node))) {
        while (!knowsAll(one, topics)) {
          if (System.nanoTime() > deadline)
            throw new IllegalStateException(
                "broker "
                    + node.id()
                    + " ("
                    + node.host()
                    + ":"
                    + node.port()
                    + ") still does not know topics "
                    + topics
                    + " after "
                    + timeout.toSeconds()
                    + " s");
          Thread.sleep(100);
        }
      }
    }
  }

  private static Map<String, Object> nodeOnly(Node node) {
    return Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, node.host() + ":" + node.port(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        // why: a new partition's leader refuses the offsets request until it serves it, and
        // the default backoff of 100 ms before asking again was most of a new topic's wait
        AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 10);
  }

  private static boolean knowsAll(Admin admin, Collection<String> topics)
      throws InterruptedException {
    try {
      Map<String, TopicDescription> found =
          admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
      boolean leaders =
          found.values().stream()
              .allMatch(
                  t ->
                      !t.partitions().isEmpty()
                          && t.partitions().stream()
                              .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
      if (!leaders) return false;
      // why: a broker's metadata names a partition's leader before that leader serves it; a
      // producer that writes in between is told NOT_LEADER_OR_FOLLOWER, and an idempotent one
      // with several batches in flight can then be stuck retrying out-of-order sequences
      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (TopicDescription t : found.values())
        for (TopicPartitionInfo p : t.partitions())
          ends.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest());
      admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false; // why: UnknownTopicOrPartition until the broker has the topic
    }
  }

  private static short replication(SluiceConfig config) {
    return config.get(Settings.TOPIC_REPLICATION).shortValue();
  }

  private static String minIsr(SluiceConfig config) {
    return Integer.toString(
        Math.min(config.get(Settings.TOPIC_MIN_ISR), config.get(Settings.TOPIC_REPLICATION)));
  }
}
