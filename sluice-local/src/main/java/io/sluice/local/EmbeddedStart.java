package io.sluice.local;

import io.sluice.core.config.LocalMetadata;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.secrets.LocalSecrets;
import io.sluice.local.cassandra.CassandraRing;
import io.sluice.local.db.MetadataDb;
import io.sluice.local.kafka.EmbeddedKafka;
import io.sluice.local.s3.S3Server;
import io.sluice.local.simulator.ApiSimulator;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import io.sluice.schemaregistry.server.SchemaRegistryServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts a {@link LocalStack}'s embedded servers under its data directory, in parallel: the
 * Cassandra JVMs first, as the long pole, then the in-process servers meanwhile. Each started
 * server goes to {@link Servers}, and each one ready is reported to the listener.
 */
final class EmbeddedStart {
  private static final Duration CASSANDRA_START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration CASSANDRA_EXTRA_NODE = Duration.ofMinutes(2);

  private final SluiceConfig config;
  private final Topology topology;
  private final StackListener listener;
  private final Servers servers;

  EmbeddedStart(SluiceConfig config, Topology topology, StackListener listener, Servers servers) {
    this.config = config;
    this.topology = topology;
    this.listener = listener;
    this.servers = servers;
  }

  /**
   * Starts {@code embedded} side by side and returns when each accepts connections; when one fails,
   * stops the others again and throws.
   */
  void start(Set<Service> embedded) {
    if (embedded.isEmpty()) return;
    long began = System.nanoTime();
    // why: the Cassandra JVM is the long pole, so it is launched first and the rest start meanwhile
    CassandraRing node = null;
    if (embedded.contains(Service.CASSANDRA)) {
      node =
          CassandraRing.launch(
              LocalStack.dataDir(config, Service.CASSANDRA),
              topology.cassandraNodes(),
              config.get(Settings.CASSANDRA_PORT),
              config.get(LocalSettings.CASSANDRA_STORAGE_PORT),
              config.get(LocalSettings.CASSANDRA_HEAP),
              config.get(Settings.CASSANDRA_DATACENTER),
              message -> listener.progress(Service.CASSANDRA, message));
      servers.assign(Service.CASSANDRA, node);
      for (int i = 0; i < node.nodes().size(); i++)
        PidFile.cassandra(config.dataDir(), i + 1).write(node.nodes().get(i).pid());
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, embedded.size()),
            r -> {
              Thread t = new Thread(r, "sluice-stack-start");
              t.setDaemon(true);
              return t;
            });
    Map<Service, Future<AutoCloseable>> started = new LinkedHashMap<>();
    try {
      for (Service s : embedded) {
        if (s != Service.CASSANDRA)
          started.put(s, pool.submit(timed(s, began, () -> startInProcess(s))));
      }
      if (node != null) {
        CassandraRing n = node;
        started.put(
            Service.CASSANDRA,
            pool.submit(
                timed(
                    Service.CASSANDRA,
                    began,
                    () -> {
                      // why: the nodes of a ring start side by side and share the cores
                      n.awaitReady(
                          CASSANDRA_START_TIMEOUT.plus(
                              CASSANDRA_EXTRA_NODE.multipliedBy(n.nodes().size() - 1)));
                      return n;
                    })));
      }
      RuntimeException failure = null;
      for (var e : started.entrySet()) {
        try {
          servers.assign(e.getKey(), e.getValue().get());
        } catch (ExecutionException ex) {
          Throwable cause = ex.getCause();
          RuntimeException wrapped =
              cause instanceof LocalStackException l
                  ? l
                  : new LocalStackException(e.getKey() + " failed to start: " + cause, cause);
          if (failure == null) failure = wrapped;
          else failure.addSuppressed(wrapped);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new LocalStackException("interrupted while starting the stack", ex);
        }
      }
      if (failure != null) {
        // why: a stack that lives on (the JUnit extension's) must not keep half a start's servers
        for (Service s : embedded) servers.stop(s);
        throw failure;
      }
    } finally {
      pool.shutdown();
    }
  }

  private Callable<AutoCloseable> timed(Service s, long began, Callable<AutoCloseable> start) {
    return () -> {
      AutoCloseable server = start.call();
      listener.ready(s, addressOf(s, server), Duration.ofNanos(System.nanoTime() - began));
      return server;
    };
  }

  private String addressOf(Service s, AutoCloseable server) {
    return switch (s) {
      case KAFKA -> ((EmbeddedKafka) server).bootstrapServers();
      case CASSANDRA -> ((CassandraRing) server).contactPoints();
      case S3 -> ((S3Server) server).endpoint().toString();
      case METADATA_DB -> ((MetadataDb) server).jdbcUrl();
      case API_SIMULATOR -> "http://127.0.0.1:" + ((ApiSimulator) server).port();
      case SCHEMA_REGISTRY -> ((SchemaRegistryServer) server).url();
    };
  }

  private AutoCloseable startInProcess(Service s) throws java.io.IOException {
    return switch (s) {
      case KAFKA ->
          EmbeddedKafka.start(
              LocalStack.dataDir(config, s),
              topology.kafkaPorts(config),
              topology.kafkaControllerPorts(config));
      case S3 ->
          S3Server.start(
              LocalStack.dataDir(config, s),
              config.get(Settings.S3_PORT),
              config.get(Settings.S3_ACCESS_KEY),
              config.get(Settings.S3_SECRET_KEY),
              config.get(Settings.S3_BUCKET));
      case METADATA_DB ->
          topology.postgresMetadata()
              ? MetadataDb.startPostgres(
                  LocalMetadata.postgresDir(config),
                  config.get(Settings.DB_PORT),
                  config.get(Settings.DB_USER),
                  LocalSecrets.dbPassword(config))
              : MetadataDb.start(
                  LocalStack.dataDir(config, s),
                  config.get(Settings.DB_PORT),
                  config.get(Settings.DB_USER),
                  LocalSecrets.dbPassword(config));
      case API_SIMULATOR ->
          ApiSimulator.start(
              new InetSocketAddress("127.0.0.1", config.get(LocalSettings.SIMULATOR_PORT)));
      case SCHEMA_REGISTRY ->
          SchemaRegistryServer.start(
              config
                  .find(Settings.KAFKA_BOOTSTRAP)
                  .orElseGet(() -> servers.kafka().bootstrapServers()),
              config.get(SchemaRegistrySettings.TOPIC),
              new InetSocketAddress("127.0.0.1", config.get(SchemaRegistrySettings.PORT)));
      case CASSANDRA -> throw new IllegalArgumentException("Cassandra runs in a child JVM");
    };
  }
}
