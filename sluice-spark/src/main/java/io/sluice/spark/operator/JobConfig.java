package io.sluice.spark.operator;

import io.sluice.api.Connection;
import io.sluice.api.TaskContext;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.KafkaHook;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;

/**
 * The configuration a job JVM gets: the process configuration, pointed at the task's connections.
 */
final class JobConfig {
  private JobConfig() {}

  static SluiceConfig of(TaskContext ctx, String kafkaConn, String cassandraConn, String s3Conn) {
    SluiceConfig config = SluiceConfig.load();
    Connection kafka = connection(ctx, config, kafkaConn);
    Connection cassandra = connection(ctx, config, cassandraConn);
    Connection s3 = connection(ctx, config, s3Conn);
    config =
        config
            .with(
                Settings.KAFKA_BOOTSTRAP,
                KafkaHook.of(kafka).bootstrapServers(),
                "connection " + kafkaConn)
            .with(
                Settings.CASSANDRA_CONTACT_POINTS,
                cassandra
                    .extra("contact_points")
                    .orElse(
                        cassandra.host()
                            + ":"
                            + (cassandra.port() == null ? 9042 : cassandra.port())),
                "connection " + cassandraConn);
    var dc = cassandra.extra("local_datacenter");
    if (dc.isPresent())
      config = config.with(Settings.CASSANDRA_DATACENTER, dc.get(), "connection " + cassandraConn);
    var endpoint = s3.extra("endpoint_url");
    if (endpoint.isPresent())
      config = config.with(Settings.S3_ENDPOINT, endpoint.get(), "connection " + s3Conn);
    if (s3.login() != null)
      config =
          config
              .with(Settings.S3_ACCESS_KEY, s3.login(), "connection " + s3Conn)
              .with(Settings.S3_SECRET_KEY, s3.password(), "connection " + s3Conn);
    return config;
  }

  static Connection connection(TaskContext ctx, SluiceConfig config, String connId) {
    return ctx.connection(connId)
        .or(() -> DefaultConnections.find(config, connId))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "connection '"
                        + connId
                        + "' is not defined; add it with `sluice connections add`"));
  }
}
