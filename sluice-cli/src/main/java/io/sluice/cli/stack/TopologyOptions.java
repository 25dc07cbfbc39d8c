package io.sluice.cli.stack;

import io.sluice.cli.CliException;
import io.sluice.core.config.ConfigException;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.LocalSettings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The topology flags of {@code sluice up} and {@code sluice stack up}; each sets a configuration
 * key (so {@code sluice.yaml} and the environment can set them too).
 */
public final class TopologyOptions {
  @Option(
      names = "--profile",
      paramLabel = "small|seeds",
      description =
          "small: one node of each server (default). seeds: 3 Kafka nodes, 3 Cassandra nodes, a"
              + " Spark master and worker, and PostgreSQL as the metadata database, the seeds'"
              + " topology (key stack.profile).")
  String profile;

  @Option(
      names = "--kafka-nodes",
      paramLabel = "N",
      description =
          "Kafka nodes (KRaft); with 3, topics get replication factor 3 and min.insync.replicas 2"
              + " (key kafka.nodes).")
  Integer kafkaNodes;

  @Option(
      names = "--cassandra-nodes",
      paramLabel = "N",
      description =
          "Cassandra nodes on 127.0.0.1..127.0.0.N; with 3, keyspaces get RF 3 and the jobs write"
              + " at QUORUM (key cassandra.nodes).")
  Integer cassandraNodes;

  @Option(
      names = "--spark",
      paramLabel = "local|standalone",
      description =
          "standalone: a Spark master and worker, and the jobs submitted to them with the job jar"
              + " (key spark.cluster).")
  String spark;

  @Option(
      names = "--metadata",
      paramLabel = "h2|postgres",
      description =
          "postgres: PostgreSQL as the metadata database on db.port, Debian's packaged server when"
              + " installed, else embedded binaries; its password generated into"
              + " <data dir>/secrets/db.password (key db.metadata).")
  String metadata;

  /** {@code config} with every flag given set, its origin the flag. */
  public SluiceConfig apply(SluiceConfig config) {
    SluiceConfig c = config;
    try {
      c = set(c, Settings.STACK_PROFILE, profile, "--profile");
      c = set(c, LocalSettings.KAFKA_NODES, kafkaNodes, "--kafka-nodes");
      c = set(c, LocalSettings.CASSANDRA_NODES, cassandraNodes, "--cassandra-nodes");
      c = set(c, LocalSettings.SPARK_CLUSTER, spark, "--spark");
      c = set(c, Settings.DB_METADATA, metadata, "--metadata");
    } catch (ConfigException e) {
      throw new CliException(e.getMessage());
    }
    return c;
  }

  /** The flags given, to pass on to a background {@code sluice stack up}. */
  public List<String> args() {
    List<String> args = new ArrayList<>();
    if (profile != null) args.addAll(List.of("--profile", profile));
    if (kafkaNodes != null) args.addAll(List.of("--kafka-nodes", kafkaNodes.toString()));
    if (cassandraNodes != null)
      args.addAll(List.of("--cassandra-nodes", cassandraNodes.toString()));
    if (spark != null) args.addAll(List.of("--spark", spark));
    if (metadata != null) args.addAll(List.of("--metadata", metadata));
    return args;
  }

  private static SluiceConfig set(SluiceConfig c, ConfigKey<?> key, Object value, String flag) {
    return value == null ? c : c.with(key, value.toString(), flag);
  }
}
