package io.sluice.spark;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.records.registry.HttpSchemaRegistry;
import io.sluice.records.registry.SchemaRegistry;
import java.io.Serializable;

/**
 * What the executors of a job need to reach the sinks: a serializable snapshot of the
 * configuration, taken on the driver and shipped with the batch functions.
 */
public record JobSettings(
    String job,
    String kafkaBootstrap,
    String cassandraContactPoints,
    String cassandraDatacenter,
    String replication,
    String usersKeyspace,
    String usersTable,
    String weatherKeyspace,
    String hourlyTable,
    String dailyTable,
    String dailyAggregateTable,
    String dlqTopic,
    int maxInFlight,
    String consistency,
    String schemaRegistryUrl)
    implements Serializable {

  /** Writes in flight per executor JVM; Cassandra's single node here saturates near 256. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;

  public static JobSettings of(String job, SluiceConfig config) {
    return new JobSettings(
        job,
        Endpoints.kafkaBootstrap(config),
        Endpoints.cassandraContactPoints(config),
        config.get(Settings.CASSANDRA_DATACENTER),
        config.get(Settings.CASSANDRA_REPLICATION),
        config.get(Settings.USERS_KEYSPACE),
        config.get(Settings.USERS_TABLE),
        config.get(Settings.CASSANDRA_KEYSPACE),
        config.get(Settings.HOURLY_SINK_TABLE),
        config.get(Settings.DAILY_SINK_TABLE),
        config.get(Settings.DAILY_AGGREGATE_TABLE),
        config.get(Settings.DLQ_TOPIC),
        DEFAULT_MAX_IN_FLIGHT,
        config.get(Settings.CASSANDRA_CONSISTENCY),
        config.find(Settings.SCHEMA_REGISTRY_URL).orElse(null));
  }

  /** The registry the jobs fetch writer schemas from; null when none is configured. */
  public SchemaRegistry schemaRegistry() {
    return schemaRegistryUrl == null || schemaRegistryUrl.isBlank()
        ? null
        : HttpSchemaRegistry.of(schemaRegistryUrl);
  }
}
