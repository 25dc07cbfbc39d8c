package io.sluice.local;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ModuleSettings;
import io.sluice.core.config.Settings;
import java.util.List;

/**
 * The local stack's own settings: how many nodes of each server it starts, where the stream jobs
 * run, and the ports and heap of servers only it starts. The addresses clients use (such as {@code
 * kafka.port}, {@code cassandra.port}) stay in {@link Settings}, since an empty connection setting
 * resolves to them in every module.
 */
public final class LocalSettings implements ModuleSettings {
  public static final ConfigKey<Integer> KAFKA_NODES =
      ConfigKey.builder("kafka.nodes", "SLUICE_KAFKA_NODES")
          .description(
              "Nodes of the embedded Kafka cluster (KRaft, each a broker and controller; node i"
                  + " on kafka.port + 100(i-1)). With 3 or more, topics get replication factor 3 and"
                  + " min.insync.replicas 2. Empty: 1, or 3 with the seeds profile.")
          .positiveInt();

  public static final ConfigKey<Integer> KAFKA_CONTROLLER_PORT =
      ConfigKey.builder("kafka.controller-port", "SLUICE_KAFKA_CONTROLLER_PORT")
          .defaultValue("9093")
          .description("KRaft controller port of the embedded Kafka broker.")
          .port();

  public static final ConfigKey<Integer> CASSANDRA_NODES =
      ConfigKey.builder("cassandra.nodes", "SLUICE_CASSANDRA_NODES")
          .description(
              "Nodes of the embedded Cassandra ring, on 127.0.0.1, 127.0.0.2, ... (one child JVM"
                  + " each). With more than one, keyspaces get replication factor min(3, nodes)"
                  + " and the jobs write at QUORUM. Empty: 1, or 3 with the seeds profile.")
          .positiveInt();

  public static final ConfigKey<Integer> CASSANDRA_STORAGE_PORT =
      ConfigKey.builder("cassandra.storage-port", "SLUICE_CASSANDRA_STORAGE_PORT")
          .defaultValue("7000")
          .description("Inter-node storage port of the embedded Cassandra node.")
          .port();

  public static final ConfigKey<String> CASSANDRA_HEAP =
      ConfigKey.builder("cassandra.heap", "SLUICE_CASSANDRA_HEAP")
          .defaultValue("512m")
          .description("Maximum heap of the embedded Cassandra JVM (-Xmx).")
          .build(
              "a JVM memory size such as 512m or 1g",
              s -> {
                if (!s.matches("\\d+[kKmMgG]")) throw new IllegalArgumentException();
                return s;
              });

  public static final ConfigKey<Integer> SIMULATOR_PORT =
      ConfigKey.builder("simulator.port", "SLUICE_SIMULATOR_PORT")
          .defaultValue("8081")
          .description("Port of the API simulators (Random User at /api/, Open-Meteo at /v1/...).")
          .port();

  public static final ConfigKey<String> SPARK_CLUSTER =
      ConfigKey.builder("spark.cluster", "SLUICE_SPARK_CLUSTER")
          .description(
              "local: each job in one JVM (local[*]). standalone: the stack starts a Spark master"
                  + " and a worker (child JVMs) and the jobs are submitted to it with the shaded"
                  + " job jar. Empty: local, or standalone with the seeds profile.")
          .oneOf("local", "standalone");

  @Override
  public List<ConfigKey<?>> keys() {
    return ModuleSettings.declaredIn(LocalSettings.class);
  }
}
