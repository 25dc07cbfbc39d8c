package io.sluice.cli.stack;

import io.sluice.cli.CliException;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.LocalStack;
import io.sluice.local.LocalStackException;
import io.sluice.local.Service;
import io.sluice.local.StackListener;
import io.sluice.local.StackNodes;
import io.sluice.local.Topology;
import io.sluice.spark.cluster.StandaloneCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The local stack in the topology the configuration asks for ({@link Topology}): the servers of
 * {@link LocalStack} and, with {@code spark.cluster=standalone}, a Spark master and worker started
 * beside them, to which the stream and {@code spark_submit} tasks submit the job jar.
 */
public final class TopologyStack implements AutoCloseable {
  private static final Duration SPARK_START_TIMEOUT = Duration.ofMinutes(5);

  private final LocalStack stack;
  private final StandaloneCluster spark;
  private final Thread sparkShutdownHook;
  private final StackNodes nodes;

  private TopologyStack(LocalStack stack, StandaloneCluster spark) {
    this.stack = stack;
    this.spark = spark;
    List<StackNodes.Node> extra = new ArrayList<>();
    if (spark != null) {
      extra.add(new StackNodes.Node("spark-master", spark.masterUrl(), spark.pids().get(0)));
      extra.add(new StackNodes.Node("spark-worker", spark.masterUrl(), spark.pids().get(1)));
    }
    this.nodes = StackNodes.serve(stack, extra);
    // why: the master and worker are child JVMs, which a JVM exit (Ctrl-C) does not end
    this.sparkShutdownHook = new Thread(this::closeSpark, "sluice-spark-shutdown");
    if (spark != null) Runtime.getRuntime().addShutdownHook(sparkShutdownHook);
  }

  /**
   * Starts every service of the stack, and the Spark cluster meanwhile when the topology has one;
   * stops whatever started and throws a {@link CliException} when one fails.
   */
  public static TopologyStack start(SluiceConfig config, StackListener listener, PrintStream err) {
    return start(config, listener, err, true);
  }

  /**
   * Starts every service of the stack as {@link #start(SluiceConfig, StackListener, PrintStream)}
   * does, but returns before an embedded Cassandra answers unless {@code awaitCassandra}; {@link
   * LocalStack#cassandraReady()} of {@link #stack()} tells when it does.
   */
  public static TopologyStack start(
      SluiceConfig config, StackListener listener, PrintStream err, boolean awaitCassandra) {
    Topology topology = Topology.of(config);
    long began = System.nanoTime();
    CompletableFuture<StandaloneCluster> spark =
        topology.sparkStandalone()
            ? CompletableFuture.supplyAsync(() -> startSpark(config, err, began))
            : CompletableFuture.completedFuture(null);
    LocalStack stack;
    try {
      stack = LocalStack.start(config, EnumSet.allOf(Service.class), listener, awaitCassandra);
    } catch (LocalStackException e) {
      closeOnceStarted(spark);
      throw new CliException(e.getMessage());
    }
    try {
      return new TopologyStack(stack, spark.join());
    } catch (CompletionException e) {
      stack.close();
      throw new CliException("the Spark cluster failed to start: " + e.getCause().getMessage());
    }
  }

  /**
   * Waits for a Spark cluster still starting, then stops it: its master and worker are child JVMs
   * that would outlive this one, which is about to exit.
   */
  private static void closeOnceStarted(CompletableFuture<StandaloneCluster> spark) {
    try {
      StandaloneCluster cluster = spark.join();
      if (cluster != null) cluster.close();
    } catch (CompletionException e) {
      // it did not start: nothing runs
    }
  }

  private static StandaloneCluster startSpark(SluiceConfig config, PrintStream err, long began) {
    StandaloneCluster cluster =
        StandaloneCluster.start(
            config.dataDir().resolve("spark"),
            new StandaloneCluster.Options(0, 2, "2g"),
            SPARK_START_TIMEOUT);
    err.printf(
        "%6.1fs  %-13s ready at %s (web UI %s)%n",
        (System.nanoTime() - began) / 1e9, "spark", cluster.masterUrl(), cluster.webUiUrl());
    return cluster;
  }

  /** The local stack's servers. */
  public LocalStack stack() {
    return stack;
  }

  /** The Spark standalone cluster, or null when the jobs run in local mode. */
  public StandaloneCluster spark() {
    return spark;
  }

  /**
   * {@code config} pointed at this topology: replication that fits it, every Kafka and Cassandra
   * node as bootstrap servers and contact points, and the Spark master when there is one.
   */
  public SluiceConfig config(SluiceConfig config) {
    Topology topology = stack.topology();
    SluiceConfig c = topology.replicated(config);
    if (topology.kafkaNodes() > 1 && !stack.isExternal(Service.KAFKA))
      c = c.with(Settings.KAFKA_BOOTSTRAP, stack.kafkaBootstrap(), "local stack");
    if (topology.cassandraNodes() > 1 && !stack.isExternal(Service.CASSANDRA))
      c = c.with(Settings.CASSANDRA_CONTACT_POINTS, stack.cassandraContactPoints(), "local stack");
    // why: the tasks write Avro only when they know where the registry the stack started is
    Optional<String> registry = stack.config().find(Settings.SCHEMA_REGISTRY_URL);
    if (registry.isPresent())
      c = c.with(Settings.SCHEMA_REGISTRY_URL, registry.get(), "local stack");
    if (spark != null && defaulted(c, Settings.SPARK_MASTER)) {
      c = c.with(Settings.SPARK_MASTER, spark.masterUrl(), "local stack");
      c = c.with(Settings.SPARK_UI_URL, spark.webUiUrl(), "local stack");
    }
    return c;
  }

  /**
   * Leaves stopping to the caller's shutdown sequence; see {@link LocalStack#withoutShutdownHook}.
   */
  public TopologyStack withoutShutdownHook() {
    stack.withoutShutdownHook();
    if (spark != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(sparkShutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    return this;
  }

  /** Stops the Spark cluster, then the stack. */
  @Override
  public void close() {
    nodes.close();
    closeSpark();
    stack.close();
  }

  private void closeSpark() {
    if (spark != null) spark.close();
  }

  private static boolean defaulted(SluiceConfig c, ConfigKey<?> key) {
    return c.describe().stream().anyMatch(v -> v.key() == key && v.origin().equals("default"));
  }
}
