package io.sluice.local;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.cassandra.CassandraRing;
import io.sluice.local.db.MetadataDb;
import io.sluice.local.kafka.EmbeddedKafka;
import io.sluice.local.simulator.ApiSimulator;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The local stack: real Kafka, Cassandra, S3, metadata database and API simulator servers, each
 * under the data directory, started in parallel. A service whose external address is configured
 * ({@link Settings#KAFKA_BOOTSTRAP}, {@link Settings#CASSANDRA_CONTACT_POINTS}, {@link
 * Settings#S3_ENDPOINT}, {@link Settings#DB_URL}, {@link Settings#SCHEMA_REGISTRY_URL}) is not
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
  private final SluiceConfig config;
  private final StackListener listener;
  private final Path dataDir;
  private final Topology topology;
  private final Set<Service> services = EnumSet.noneOf(Service.class);
  private final Thread shutdownHook = new Thread(this::close, "sluice-stack-shutdown");

  private final Servers servers;
  private boolean closed;
  private CompletableFuture<Void> cassandraReady = CompletableFuture.completedFuture(null);

  private LocalStack(SluiceConfig config, StackListener listener) {
    this.config = config;
    this.listener = listener;
    this.dataDir = config.dataDir();
    this.topology = Topology.of(config);
    this.servers = new Servers(dataDir, listener);
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
    return start(config, services, listener, true);
  }

  /**
   * Starts the embedded ones of {@code services} and returns when every one accepts connections, an
   * embedded Cassandra included only when {@code awaitCassandra}; otherwise it is still starting
   * and {@link #cassandraReady()} tells when it answers. What runs on the stack can meanwhile start
   * everything that does not need Cassandra yet.
   *
   * @throws LocalStackException when a port is taken (nothing is started then) or a server fails to
   *     start (the others are stopped again)
   */
  public static LocalStack start(
      SluiceConfig config, Set<Service> services, StackListener listener, boolean awaitCassandra) {
    QuietLogging.apply();
    LocalStack stack = new LocalStack(config, listener);
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    try {
      stack.ensureStarted(services, awaitCassandra);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  /**
   * Completes when the embedded Cassandra answers (at once when it is external, not part of the
   * stack, or was awaited by the start); exceptionally when it failed to start, and then it is
   * stopped.
   */
  public synchronized CompletableFuture<Void> cassandraReady() {
    return cassandraReady;
  }

  /**
   * Starts those of {@code more} that are not running yet (the JUnit extension grows its stack so).
   */
  public void ensureStarted(Set<Service> more) {
    ensureStarted(more, true);
  }

  private synchronized void ensureStarted(Set<Service> more, boolean awaitCassandra) {
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
    EmbeddedStart start = new EmbeddedStart(config, topology, listener, servers);
    CompletableFuture<Void> cassandra = start.start(embedded, awaitCassandra);
    if (embedded.contains(Service.CASSANDRA)) cassandraReady = cassandra;
    if (registry) {
      try {
        start.start(EnumSet.of(Service.SCHEMA_REGISTRY));
      } catch (RuntimeException e) {
        for (Service s : embedded) servers.stop(s);
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
    return config
        .find(Settings.KAFKA_BOOTSTRAP)
        .orElseGet(() -> servers.kafka().bootstrapServers());
  }

  /** The first Cassandra contact point. */
  public InetSocketAddress cassandraContactPoint() {
    require(Service.CASSANDRA);
    return config
        .find(Settings.CASSANDRA_CONTACT_POINTS)
        .map(LocalStack::firstContactPoint)
        .orElseGet(() -> servers.cassandra().contactPoint(0));
  }

  /** Every Cassandra contact point, {@code host:port,...}. */
  public String cassandraContactPoints() {
    require(Service.CASSANDRA);
    return config
        .find(Settings.CASSANDRA_CONTACT_POINTS)
        .orElseGet(() -> servers.cassandra().contactPoints());
  }

  /** The nodes this stack starts. */
  public Topology topology() {
    return topology;
  }

  /** The embedded Kafka cluster, to stop one of its nodes; null when Kafka is external. */
  public EmbeddedKafka kafka() {
    require(Service.KAFKA);
    return servers.kafka();
  }

  /** The embedded Cassandra ring, to stop one of its nodes; null when Cassandra is external. */
  public CassandraRing cassandra() {
    require(Service.CASSANDRA);
    return servers.cassandra();
  }

  /** The S3 endpoint, e.g. {@code http://127.0.0.1:9000}; use path-style access. */
  public URI s3Endpoint() {
    require(Service.S3);
    return config
        .find(Settings.S3_ENDPOINT)
        .map(URI::create)
        .orElseGet(() -> servers.s3().endpoint());
  }

  /** The metadata database's JDBC URL. */
  public String jdbcUrl() {
    require(Service.METADATA_DB);
    return config.find(Settings.DB_URL).orElseGet(() -> servers.db().jdbcUrl());
  }

  /**
   * The metadata database's JDBC URL for this process, when it is an H2 database served from this
   * JVM: the same database without the TCP round trips. Other processes use {@link #jdbcUrl()}.
   */
  public Optional<String> inProcessJdbcUrl() {
    require(Service.METADATA_DB);
    if (isExternal(Service.METADATA_DB)) return Optional.empty();
    return servers.db().inProcessJdbcUrl();
  }

  /**
   * The URL this process opens the metadata database of {@code config} with, known as soon as a
   * starting stack reports it ready at {@code readyAt}: what {@link #inProcessJdbcUrl()} or else
   * {@link #jdbcUrl()} returns once the start has.
   */
  public static String jdbcUrlForThisProcess(SluiceConfig config, String readyAt) {
    if (config.isSet(Settings.DB_URL)) return config.get(Settings.DB_URL);
    if (Topology.of(config).postgresMetadata()) return readyAt;
    return MetadataDb.inProcessJdbcUrl(dataDir(config, Service.METADATA_DB));
  }

  /** The API simulator's base URL, e.g. {@code http://127.0.0.1:8081}. */
  public URI simulatorUrl() {
    require(Service.API_SIMULATOR);
    return URI.create("http://127.0.0.1:" + servers.simulator().port());
  }

  /** The schema registry's base URL, e.g. {@code http://127.0.0.1:8085}. */
  public String schemaRegistryUrl() {
    require(Service.SCHEMA_REGISTRY);
    return isExternal(Service.SCHEMA_REGISTRY)
        ? SchemaRegistrySettings.url(config)
        : servers.schemaRegistry().url();
  }

  /** The running API simulator, to set faults. */
  public ApiSimulator simulator() {
    require(Service.API_SIMULATOR);
    return servers.simulator();
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
      case API_SIMULATOR -> "127.0.0.1:" + config.get(LocalSettings.SIMULATOR_PORT);
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
    servers.stopAll();
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

  private static InetSocketAddress firstContactPoint(String contactPoints) {
    String first = contactPoints.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon < 0) return new InetSocketAddress(first, 9042);
    return new InetSocketAddress(
        first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
  }
}
