package io.sluice.local;

import io.sluice.core.config.ConfigKey;
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
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local stack: real Kafka, Cassandra, S3, metadata database and API simulator servers, each
 * under the data directory, started in parallel. A service whose external address is configured
 * ({@link Settings#KAFKA_BOOTSTRAP}, {@link Settings#CASSANDRA_CONTACT_POINTS}, {@link
 * Settings#S3_ENDPOINT}, {@link Settings#DB_URL}, {@link SchemaRegistrySettings#URL}) is not
 * started; the accessors return that address instead.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(SluiceConfig.load(), EnumSet.allOf(Service.class))) {
 *   SluiceConfig connected = stack.config(); // connection settings point at the running servers
 * }
 * }</pre>
 *
 * <p>Closing stops every server this stack started; a JVM shutdown (Ctrl-C) closes it too.
 */
public final class LocalStack implements AutoCloseable {
  private static final Duration CASSANDRA_START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration CASSANDRA_EXTRA_NODE = Duration.ofMinutes(2);

  private final SluiceConfig config;
  private final StackListener listener;
  private final Path dataDir;
  private final Topology topology;
  private final Set<Service> services = EnumSet.noneOf(Service.class);
  private final Thread shutdownHook = new Thread(this::close, "sluice-stack-shutdown");

  private EmbeddedKafka kafka;
  private CassandraRing cassandra;
  private S3Server s3;
  private MetadataDb db;
  private ApiSimulator simulator;
  private SchemaRegistryServer schemaRegistry;
  private boolean closed;

  private LocalStack(SluiceConfig config, StackListener listener) {
    this.config = config;
    this.listener = listener;
    this.dataDir = config.dataDir();
    this.topology = Topology.of(config);
  }

  /**
   * Starts {@code services}, logging progress; see {@link #start(SluiceConfig, Set,
   * StackListener)}.
   */
  public static LocalStack start(SluiceConfig config, Set<Service> services) {
    return start(config, services, StackListener.logging());
  }

  /**
   * Starts the embedded ones of {@code services} and returns when every one accepts connections.
   *
   * @throws LocalStackException when a port is taken (nothing is started then) or a server fails to
   *     start (the others are stopped again)
   */
  public static LocalStack start(
      SluiceConfig config, Set<Service> services, StackListener listener) {
    QuietLogging.apply();
    LocalStack stack = new LocalStack(config, listener);
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    try {
      stack.ensureStarted(services);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  /**
   * Starts those of {@code more} that are not running yet (the JUnit extension grows its stack so).
   */
  public synchronized void ensureStarted(Set<Service> more) {
    if (closed) throw new IllegalStateException("the stack is closed");
    Set<Service> missing = EnumSet.noneOf(Service.class);
    missing.addAll(more);
    if (missing.contains(Service.SCHEMA_REGISTRY) && !isExternal(Service.SCHEMA_REGISTRY))
      missing.add(Service.KAFKA);
    missing.removeAll(services);
    if (missing.isEmpty()) return;
    Set<Service> embedded = EnumSet.noneOf(Service.class);
    for (Service s : missing) {
      if (isExternal(s)) listener.ready(s, address(s) + " (external)", Duration.ZERO);
      else embedded.add(s);
    }
    checkPorts(embedded);
    // why: the registry keeps its state in Kafka, so it starts once Kafka is up
    boolean registry = embedded.remove(Service.SCHEMA_REGISTRY);
    startEmbedded(embedded);
    if (registry) {
      try {
        startEmbedded(EnumSet.of(Service.SCHEMA_REGISTRY));
      } catch (RuntimeException e) {
        for (Service s : embedded) stopQuietly(s, server(s));
        throw e;
      }
    }
    services.addAll(missing);
    StackEndpoints.of(config()).write(dataDir);
  }

  /** True when {@code service} is configured to an external server and is not started here. */
  public boolean isExternal(Service service) {
    return externalKey(service) != null && config.isSet(externalKey(service));
  }

  /** The services this stack provides (started here or external). */
  public synchronized Set<Service> services() {
    return EnumSet.copyOf(services);
  }

  /** Kafka bootstrap servers, {@code host:port}. */
  public String kafkaBootstrap() {
    require(Service.KAFKA);
    return config.find(Settings.KAFKA_BOOTSTRAP).orElseGet(() -> kafka.bootstrapServers());
  }

  /** The first Cassandra contact point. */
  public InetSocketAddress cassandraContactPoint() {
    require(Service.CASSANDRA);
    return config
        .find(Settings.CASSANDRA_CONTACT_POINTS)
        .map(LocalStack::firstContactPoint)
        .orElseGet(() -> cassandra.contactPoint(0));
  }

  /** Every Cassandra contact point, {@code host:port,...}. */
  public String cassandraContactPoints() {
    require(Service.CASSANDRA);
    return config
        .find(Settings.CASSANDRA_CONTACT_POINTS)
        .orElseGet(() -> cassandra.contactPoints());
  }

  /** The nodes this stack starts. */
  public Topology topology() {
    return topology;
  }

  /** The embedded Kafka cluster, to stop one of its nodes; null when Kafka is external. */
  public synchronized EmbeddedKafka kafka() {
    require(Service.KAFKA);
    return kafka;
  }

  /** The embedded Cassandra ring, to stop one of its nodes; null when Cassandra is external. */
  public synchronized CassandraRing cassandra() {
    require(Service.CASSANDRA);
    return cassandra;
  }

  /** The S3 endpoint, e.g. {@code http://127.0.0.1:9000}; use path-style access. */
  public URI s3Endpoint() {
    require(Service.S3);
    return config.find(Settings.S3_ENDPOINT).map(URI::create).orElseGet(() -> s3.endpoint());
  }

  /** The metadata database's JDBC URL. */
  public String jdbcUrl() {
    require(Service.METADATA_DB);
    return config.find(Settings.DB_URL).orElseGet(() -> db.jdbcUrl());
  }

  /** The API simulator's base URL, e.g. {@code http://127.0.0.1:8081}. */
  public URI simulatorUrl() {
    require(Service.API_SIMULATOR);
    return URI.create("http://127.0.0.1:" + simulator.port());
  }

  /** The schema registry's base URL, e.g. {@code http://127.0.0.1:8085}. */
  public String schemaRegistryUrl() {
    require(Service.SCHEMA_REGISTRY);
    return isExternal(Service.SCHEMA_REGISTRY)
        ? SchemaRegistrySettings.url(config)
        : schemaRegistry.url();
  }

  /** The running API simulator, to set faults. */
  public ApiSimulator simulator() {
    require(Service.API_SIMULATOR);
    return simulator;
  }

  /** The data directory every embedded server keeps its files under. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * The configuration this stack was started with, its connection settings pointing at the running
   * servers.
   */
  public synchronized SluiceConfig config() {
    SluiceConfig c = topology.replicated(config);
    if (services.contains(Service.KAFKA))
      c = c.with(Settings.KAFKA_BOOTSTRAP, kafkaBootstrap(), "local stack");
    if (services.contains(Service.CASSANDRA))
      c = c.with(Settings.CASSANDRA_CONTACT_POINTS, cassandraContactPoints(), "local stack");
    if (services.contains(Service.S3))
      c = c.with(Settings.S3_ENDPOINT, s3Endpoint().toString(), "local stack");
    if (services.contains(Service.METADATA_DB))
      c = c.with(Settings.DB_URL, jdbcUrl(), "local stack");
    if (services.contains(Service.API_SIMULATOR)) {
      c = c.with(Settings.RANDOMUSER_URL, simulatorUrl() + "/api/", "local stack");
      c = c.with(Settings.OPENMETEO_URL, simulatorUrl() + "/v1/forecast", "local stack");
    }
    if (services.contains(Service.SCHEMA_REGISTRY))
      c = c.with(Settings.SCHEMA_REGISTRY_URL, schemaRegistryUrl(), "local stack");
    return c;
  }

  /** The address a service has, or will have, under {@code config}: {@code host:port}. */
  public static String address(SluiceConfig config, Service service) {
    return switch (service) {
      case KAFKA ->
          config
              .find(Settings.KAFKA_BOOTSTRAP)
              .orElse("127.0.0.1:" + config.get(Settings.KAFKA_PORT));
      case CASSANDRA ->
          config
              .find(Settings.CASSANDRA_CONTACT_POINTS)
              .map(s -> s.split(",")[0].trim())
              .orElse("127.0.0.1:" + config.get(Settings.CASSANDRA_PORT));
      case S3 ->
          config
              .find(Settings.S3_ENDPOINT)
              .map(URI::create)
              .map(
                  u ->
                      u.getHost()
                          + ":"
                          + (u.getPort() > 0
                              ? u.getPort()
                              : "https".equals(u.getScheme()) ? 443 : 80))
              .orElse("127.0.0.1:" + config.get(Settings.S3_PORT));
      case METADATA_DB ->
          config.find(Settings.DB_URL).orElse("127.0.0.1:" + config.get(Settings.DB_PORT));
      case API_SIMULATOR -> "127.0.0.1:" + config.get(Settings.SIMULATOR_PORT);
      case SCHEMA_REGISTRY -> {
        URI u = URI.create(SchemaRegistrySettings.url(config));
        yield u.getHost()
            + ":"
            + (u.getPort() > 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80);
      }
    };
  }

  /** The setting that points {@code service} at an external server, or null when it has none. */
  public static ConfigKey<String> externalKey(Service service) {
    return switch (service) {
      case KAFKA -> Settings.KAFKA_BOOTSTRAP;
      case CASSANDRA -> Settings.CASSANDRA_CONTACT_POINTS;
      case S3 -> Settings.S3_ENDPOINT;
      case METADATA_DB -> Settings.DB_URL;
      case API_SIMULATOR -> null;
      case SCHEMA_REGISTRY -> Settings.SCHEMA_REGISTRY_URL;
    };
  }

  /** The folder under the data directory where {@code service} keeps its files, or null. */
  public static Path dataDir(SluiceConfig config, Service service) {
    return switch (service) {
      case KAFKA -> config.dataDir().resolve("kafka");
      case CASSANDRA -> config.dataDir().resolve("cassandra");
      case S3 -> config.dataDir().resolve("s3");
      case METADATA_DB -> config.dataDir().resolve("metadata");
      case API_SIMULATOR, SCHEMA_REGISTRY -> null;
    };
  }

  /**
   * Leaves stopping the stack to the caller's own shutdown sequence, so that what runs on the stack
   * (a scheduler, streaming jobs) stops before the servers it needs do.
   */
  public LocalStack withoutShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | SecurityException e) {
      // already shutting down
    }
    return this;
  }

  /**
   * Stops every server this stack started: Cassandra drains in parallel with the in-process ones.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | SecurityException e) {
      // already shutting down: this is the hook
    }
    CompletableFuture<Void> cassandraStopped = CompletableFuture.completedFuture(null);
    if (cassandra != null) {
      CassandraRing ring = cassandra;
      cassandraStopped = CompletableFuture.runAsync(() -> stopQuietly(Service.CASSANDRA, ring));
    }
    stopQuietly(Service.SCHEMA_REGISTRY, schemaRegistry);
    stopQuietly(Service.API_SIMULATOR, simulator);
    stopQuietly(Service.S3, s3);
    stopQuietly(Service.METADATA_DB, db);
    stopQuietly(Service.KAFKA, kafka);
    cassandraStopped.join();
    if (cassandra != null) deletePidFiles(cassandra);
    StackEndpoints.deleteIfOwned(dataDir);
  }

  private String address(Service s) {
    return address(config, s);
  }

  private void require(Service service) {
    synchronized (this) {
      if (!services.contains(service)) {
        throw new IllegalStateException(
            service + " is not part of this stack; start it with Service." + service.name());
      }
    }
  }

  private void checkPorts(Set<Service> embedded) {
    PortCheck.requireFree(config, topology, embedded);
  }

  private void startEmbedded(Set<Service> embedded) {
    if (embedded.isEmpty()) return;
    long began = System.nanoTime();
    // why: the Cassandra JVM is the long pole, so it is launched first and the rest start meanwhile
    CassandraRing node = null;
    if (embedded.contains(Service.CASSANDRA)) {
      node =
          CassandraRing.launch(
              dataDir(config, Service.CASSANDRA),
              topology.cassandraNodes(),
              config.get(Settings.CASSANDRA_PORT),
              config.get(Settings.CASSANDRA_STORAGE_PORT),
              config.get(Settings.CASSANDRA_HEAP),
              config.get(Settings.CASSANDRA_DATACENTER),
              message -> listener.progress(Service.CASSANDRA, message));
      cassandra = node;
      for (int i = 0; i < node.nodes().size(); i++)
        PidFile.cassandra(dataDir, i + 1).write(node.nodes().get(i).pid());
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
          assign(e.getKey(), e.getValue().get());
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
        for (Service s : embedded) {
          stopQuietly(s, server(s));
          assign(s, null);
        }
        if (node != null) deletePidFiles(node);
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
              dataDir(config, s),
              topology.kafkaPorts(config),
              topology.kafkaControllerPorts(config));
      case S3 ->
          S3Server.start(
              dataDir(config, s),
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
                  dataDir(config, s),
                  config.get(Settings.DB_PORT),
                  config.get(Settings.DB_USER),
                  LocalSecrets.dbPassword(config));
      case API_SIMULATOR ->
          ApiSimulator.start(
              new InetSocketAddress("127.0.0.1", config.get(Settings.SIMULATOR_PORT)));
      case SCHEMA_REGISTRY ->
          SchemaRegistryServer.start(
              config.find(Settings.KAFKA_BOOTSTRAP).orElseGet(() -> kafka.bootstrapServers()),
              config.get(SchemaRegistrySettings.TOPIC),
              new InetSocketAddress("127.0.0.1", config.get(SchemaRegistrySettings.PORT)));
      case CASSANDRA -> throw new IllegalArgumentException("Cassandra runs in a child JVM");
    };
  }

  private synchronized void assign(Service s, AutoCloseable server) {
    switch (s) {
      case KAFKA -> kafka = (EmbeddedKafka) server;
      case CASSANDRA -> cassandra = (CassandraRing) server;
      case S3 -> s3 = (S3Server) server;
      case METADATA_DB -> db = (MetadataDb) server;
      case API_SIMULATOR -> simulator = (ApiSimulator) server;
      case SCHEMA_REGISTRY -> schemaRegistry = (SchemaRegistryServer) server;
    }
  }

  private synchronized AutoCloseable server(Service s) {
    return switch (s) {
      case KAFKA -> kafka;
      case CASSANDRA -> cassandra;
      case S3 -> s3;
      case METADATA_DB -> db;
      case API_SIMULATOR -> simulator;
      case SCHEMA_REGISTRY -> schemaRegistry;
    };
  }

  private void stopQuietly(Service s, AutoCloseable server) {
    if (server == null) return;
    try {
      server.close();
    } catch (Exception e) {
      listener.progress(s, "did not stop cleanly: " + e);
    }
  }

  private void deletePidFiles(CassandraRing ring) {
    for (int i = 0; i < ring.nodes().size(); i++)
      PidFile.cassandra(dataDir, i + 1).deleteIfOwnedBy(ring.nodes().get(i).pid());
  }

  private static InetSocketAddress firstContactPoint(String contactPoints) {
    String first = contactPoints.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon < 0) return new InetSocketAddress(first, 9042);
    return new InetSocketAddress(
        first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
  }
}
