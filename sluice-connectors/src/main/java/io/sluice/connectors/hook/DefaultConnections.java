package io.sluice.connectors.hook;

import io.sluice.api.Connection;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The connections that exist without being defined, as in Airflow's defaults: {@code
 * kafka_default}, {@code cassandra_default}, {@code spark_default}, {@code s3_default}, {@code
 * randomuser_default} and {@code openmeteo_default}. They point at whatever the configuration
 * points at: the local stack by default, real clusters when configured.
 */
public final class DefaultConnections {
  public static final String KAFKA = "kafka_default";
  public static final String CASSANDRA = "cassandra_default";
  public static final String SPARK = "spark_default";
  public static final String S3 = "s3_default";
  public static final String RANDOMUSER = "randomuser_default";
  public static final String OPENMETEO = "openmeteo_default";

  private DefaultConnections() {}

  /** Every default connection derived from {@code config}, by id. */
  public static Map<String, Connection> of(SluiceConfig config) {
    var all = new LinkedHashMap<String, Connection>();
    String bootstrap =
        config
            .find(Settings.KAFKA_BOOTSTRAP)
            .orElse("127.0.0.1:" + config.get(Settings.KAFKA_PORT));
    HostPort kafka = HostPort.first(bootstrap, 9092);
    all.put(
        KAFKA,
        new Connection(
            KAFKA,
            "kafka",
            kafka.host(),
            kafka.port(),
            null,
            null,
            null,
            Map.of("bootstrap.servers", bootstrap)));
    String contactPoints =
        config
            .find(Settings.CASSANDRA_CONTACT_POINTS)
            .orElse("127.0.0.1:" + config.get(Settings.CASSANDRA_PORT));
    HostPort cassandra = HostPort.first(contactPoints, 9042);
    all.put(
        CASSANDRA,
        new Connection(
            CASSANDRA,
            "cassandra",
            cassandra.host(),
            cassandra.port(),
            null,
            null,
            null,
            Map.of(
                "contact_points",
                contactPoints,
                "local_datacenter",
                config.get(Settings.CASSANDRA_DATACENTER))));
    all.put(
        SPARK,
        new Connection(
            SPARK, "spark", "local[*]", null, null, null, null, Map.of("master", "local[*]")));
    String s3 =
        config
            .find(Settings.S3_ENDPOINT)
            .orElse("http://127.0.0.1:" + config.get(Settings.S3_PORT));
    HostPort s3Host = HostPort.ofUrl(s3);
    all.put(
        S3,
        new Connection(
            S3,
            "s3",
            s3Host.host(),
            s3Host.port(),
            config.get(Settings.S3_ACCESS_KEY),
            config.get(Settings.S3_SECRET_KEY),
            null,
            Map.of(
                "endpoint_url",
                s3,
                "region",
                config.get(Settings.S3_REGION),
                "bucket",
                config.get(Settings.S3_BUCKET))));
    all.put(RANDOMUSER, http(RANDOMUSER, config.get(Settings.RANDOMUSER_URL)));
    all.put(OPENMETEO, http(OPENMETEO, config.get(Settings.OPENMETEO_URL)));
    return all;
  }

  /** A default connection by id, or empty. */
  public static Optional<Connection> find(SluiceConfig config, String connId) {
    return Optional.ofNullable(of(config).get(connId));
  }

  private static Connection http(String id, String url) {
    HostPort hp = HostPort.ofUrl(url);
    return new Connection(id, "http", hp.host(), hp.port(), null, null, null, Map.of("url", url));
  }
}
