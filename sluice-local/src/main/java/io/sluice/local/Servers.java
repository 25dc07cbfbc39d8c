package io.sluice.local;

import io.sluice.local.cassandra.CassandraRing;
import io.sluice.local.db.MetadataDb;
import io.sluice.local.kafka.EmbeddedKafka;
import io.sluice.local.s3.S3Server;
import io.sluice.local.simulator.ApiSimulator;
import io.sluice.schemaregistry.server.SchemaRegistryServer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The servers a {@link LocalStack} started, one per service (null when not started here), and how
 * they stop: Cassandra drains in parallel with the in-process ones, and its pid files go with it.
 * Thread-safe.
 */
final class Servers {
  private final Path dataDir;
  private final StackListener listener;

  private EmbeddedKafka kafka;
  private CassandraRing cassandra;
  private S3Server s3;
  private MetadataDb db;
  private ApiSimulator simulator;
  private SchemaRegistryServer schemaRegistry;

  Servers(Path dataDir, StackListener listener) {
    this.dataDir = dataDir;
    this.listener = listener;
  }

  synchronized EmbeddedKafka kafka() {
    return kafka;
  }

  synchronized CassandraRing cassandra() {
    return cassandra;
  }

  synchronized S3Server s3() {
    return s3;
  }

  synchronized MetadataDb db() {
    return db;
  }

  synchronized ApiSimulator simulator() {
    return simulator;
  }

  synchronized SchemaRegistryServer schemaRegistry() {
    return schemaRegistry;
  }

  synchronized void assign(Service s, AutoCloseable server) {
    switch (s) {
      case KAFKA -> kafka = (EmbeddedKafka) server;
      case CASSANDRA -> cassandra = (CassandraRing) server;
      case S3 -> s3 = (S3Server) server;
      case METADATA_DB -> db = (MetadataDb) server;
      case API_SIMULATOR -> simulator = (ApiSimulator) server;
      case SCHEMA_REGISTRY -> schemaRegistry = (SchemaRegistryServer) server;
    }
  }

  synchronized AutoCloseable server(Service s) {
    return switch (s) {
      case KAFKA -> kafka;
      case CASSANDRA -> cassandra;
      case S3 -> s3;
      case METADATA_DB -> db;
      case API_SIMULATOR -> simulator;
      case SCHEMA_REGISTRY -> schemaRegistry;
    };
  }

  /** Stops the server of {@code s}, if any, and forgets it. */
  void stop(Service s) {
    AutoCloseable server;
    synchronized (this) {
      server = server(s);
      assign(s, null);
    }
    stopQuietly(s, server);
    if (server instanceof CassandraRing ring) deletePidFiles(ring);
  }

  /** Stops every server, Cassandra in parallel with the others. */
  void stopAll() {
    CompletableFuture<Void> cassandraStopped = CompletableFuture.completedFuture(null);
    if (cassandra() != null)
      cassandraStopped = CompletableFuture.runAsync(() -> stop(Service.CASSANDRA));
    stop(Service.SCHEMA_REGISTRY);
    stop(Service.API_SIMULATOR);
    stop(Service.S3);
    stop(Service.METADATA_DB);
    stop(Service.KAFKA);
    cassandraStopped.join();
  }

  private void stopQuietly(Service s, AutoCloseable server) {
    if (server == null) return;
    try {
      server.close();
    } catch (Exception e) {
      listener.progress(s, "did not stop cleanly: " + e);
    }
  }

  /** Deletes the pid files of {@code ring}'s nodes, where they are still this ring's. */
  void deletePidFiles(CassandraRing ring) {
    for (int i = 0; i < ring.nodes().size(); i++)
      PidFile.cassandra(dataDir, i + 1).deleteIfOwnedBy(ring.nodes().get(i).pid());
  }
}
