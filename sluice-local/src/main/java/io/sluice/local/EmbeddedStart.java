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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts a {@link LocalStack}'s embedded servers under its data directory, in parallel: the
 * Cassandra JVMs first, as the long pole, then the in-process servers meanwhile; a caller that can
 * use the others before Cassandra answers need not wait for it. Each started server goes to {@link
 * Servers}, and each one ready is reported to the listener.
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
    start(embedded, true).join();
  }

  /**
   * Starts {@code embedded} side by side and returns when each accepts connections, Cassandra
   * included only when {@code awaitCassandra}: otherwise the returned future completes when it does
   * (exceptionally when it fails, and then it is stopped again). When an in-process server fails,
   * stops every one of {@code embedded} again and throws.
   */
  CompletableFuture<Void> start(Set<Service> embedded, boolean awaitCassandra) {
    if (embedded.isEmpty()) return CompletableFuture.completedFuture(null);
    long began = System.nanoTime();
    // why: the Cassandra JVM is the long pole, so it is launched first and the rest start meanwhile
    CompletableFuture<Void> cassandra =
        embedded.contains(Service.CASSANDRA)
            ? awaitReady(launchCassandra(), began)
            : CompletableFuture.completedFuture(null);
    RuntimeException failure = startInProcess(embedded, began);
    if (failure == null && awaitCassandra) failure = failureOf(Service.CASSANDRA, cassandra);
    if (failure != null) {
      // why: a stack that lives on (the JUnit extension's) must not keep half a start's servers
      for (Service s : embedded) servers.stop(s);
      throw failure;
    }
    return cassandra;
  }

  private CassandraRing launchCassandra() {
    CassandraRing ring =
        CassandraRing.launch(
            LocalStack.dataDir(config, Service.CASSANDRA),
            topology.cassandraNodes(),
            config.get(Settings.CASSANDRA_PORT),
            config.get(LocalSettings.CASSANDRA_STORAGE_PORT),
            config.get(LocalSettings.CASSANDRA_HEAP),
            config.get(Settings.CASSANDRA_DATACENTER),
            message -> listener.progress(Service.CASSANDRA, message));
    servers.assign(Service.CASSANDRA, ring);
    for (int i = 0; i < ring.nodes().size(); i++)
      PidFile.cassandra(config.dataDir(), i + 1).write(ring.nodes().get(i).pid());
    return ring;
  }

  /** Waits, on a thread of its own, until every node of {@code ring} answers; reports it ready. */
  private CompletableFuture<Void> awaitReady(CassandraRing ring, long began) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                // why: the nodes of a ring start side by side and share the cores
                timed(
                        Service.CASSANDRA,
                        began,
                        () -> {
                          ring.awaitReady(
                              CASSANDRA_START_TIMEOUT.plus(
                                  CASSANDRA_EXTRA_NODE.multipliedBy(ring.nodes().size() - 1)));
                          return ring;
                        })
                    .call();
                ready.complete(null);
              } catch (Throwable t) {
                ready.completeExceptionally(t);
              }
            },
            "sluice-cassandra-start");
    waiter.setDaemon(true);
    waiter.start();
    return ready.whenComplete(
        (v, e) -> {
          if (e != null) servers.stop(Service.CASSANDRA);
        });
  }

  /** Starts the in-process servers of {@code embedded} side by side; the first failure, or null. */
  private RuntimeException startInProcess(Set<Service> embedded, long began) {
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
      RuntimeException failure = null;
      for (var e : started.entrySet()) {
        try {
          servers.assign(e.getKey(), e.getValue().get());
        } catch (ExecutionException ex) {
          RuntimeException wrapped = wrap(e.getKey(), ex.getCause());
          if (failure == null) failure = wrapped;
          else failure.addSuppressed(wrapped);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          return new LocalStackException("interrupted while starting the stack", ex);
        }
      }
      return failure;
    } finally {
      pool.shutdown();
    }
  }

  /** Waits for {@code started}; its failure as a {@link LocalStackException}, or null. */
  private static RuntimeException failureOf(Service s, CompletableFuture<Void> started) {
    try {
      started.join();
      return null;
    } catch (CompletionException e) {
      return wrap(s, e.getCause());
    }
  }

  private static RuntimeException wrap(Service s, Throwable cause) {
    return cause instanceof LocalStackException l
        ? l
        : new LocalStackException(s + " failed to start: " + cause, cause);
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
