package io.sluice.local;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.LocalMetadata;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * How many nodes of each server the local stack starts, from {@link Settings#STACK_PROFILE} and the
 * settings that override its parts ({@link LocalSettings#KAFKA_NODES}, {@link
 * LocalSettings#CASSANDRA_NODES}, {@link LocalSettings#SPARK_CLUSTER}).
 *
 * <pre>{@code
 * Topology t = Topology.of(config);           // profile seeds: 3 Kafka, 3 Cassandra, standalone
 * SluiceConfig tuned = t.replicated(config);  // topics at RF 3, min ISR 2; keyspaces RF 3, QUORUM
 * }</pre>
 *
 * @param kafkaNodes nodes of the embedded Kafka cluster
 * @param cassandraNodes nodes of the embedded Cassandra ring
 * @param sparkStandalone whether a Spark master and worker run beside the stack
 * @param postgresMetadata whether the metadata database is PostgreSQL rather than H2
 */
public record Topology(
    int kafkaNodes, int cassandraNodes, boolean sparkStandalone, boolean postgresMetadata) {
  private static final String ORIGIN = "topology";

  /** The topology {@code config} asks for. */
  public static Topology of(SluiceConfig config) {
    boolean seeds = config.get(Settings.STACK_PROFILE).equals("seeds");
    return new Topology(
        config.find(LocalSettings.KAFKA_NODES).orElse(seeds ? 3 : 1),
        config.find(LocalSettings.CASSANDRA_NODES).orElse(seeds ? 3 : 1),
        config.find(LocalSettings.SPARK_CLUSTER).map("standalone"::equals).orElse(seeds),
        LocalMetadata.postgresRequested(config));
  }

  /**
   * {@code config} with replication that fits this topology, for every such setting left at its
   * default: topics at replication factor min(3, Kafka nodes) and {@code min.insync.replicas} 2 on
   * 3 nodes or more; keyspaces at {@code SimpleStrategy} min(3, Cassandra nodes) and QUORUM on a
   * ring. A value the user set is kept.
   */
  public SluiceConfig replicated(SluiceConfig config) {
    SluiceConfig c = config;
    if (kafkaNodes > 1) {
      int rf = Math.min(3, kafkaNodes);
      c = withDefault(c, Settings.TOPIC_REPLICATION, Integer.toString(rf));
      if (rf >= 3) c = withDefault(c, Settings.TOPIC_MIN_ISR, "2");
    }
    if (cassandraNodes > 1) {
      c =
          withDefault(
              c, Settings.CASSANDRA_REPLICATION, "SimpleStrategy:" + Math.min(3, cassandraNodes));
      c = withDefault(c, Settings.CASSANDRA_CONSISTENCY, "QUORUM");
    }
    return c;
  }

  /** Broker ports of the Kafka nodes: {@code kafka.port}, +100, +200, ... */
  public List<Integer> kafkaPorts(SluiceConfig config) {
    return stride(config.get(Settings.KAFKA_PORT), kafkaNodes);
  }

  /** Controller ports of the Kafka nodes: {@code kafka.controller-port}, +100, +200, ... */
  public List<Integer> kafkaControllerPorts(SluiceConfig config) {
    return stride(config.get(LocalSettings.KAFKA_CONTROLLER_PORT), kafkaNodes);
  }

  /** The names {@code sluice stack status} shows: {@code kafka-1}, ..., {@code cassandra-1}, ... */
  public static String nodeName(Service service, int id) {
    return service.statusName() + "-" + id;
  }

  // why: a stride of 100 keeps node ports clear of the stack's other defaults (9093..9095)
  private static List<Integer> stride(int first, int n) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < n; i++) ports.add(first + 100 * i);
    return ports;
  }

  private static SluiceConfig withDefault(SluiceConfig c, ConfigKey<?> key, String value) {
    boolean defaulted =
        c.describe().stream().anyMatch(v -> v.key() == key && v.origin().equals("default"));
    return defaulted ? c.with(key, value, ORIGIN) : c;
  }
}
