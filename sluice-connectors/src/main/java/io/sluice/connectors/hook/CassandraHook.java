package io.sluice.connectors.hook;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.sluice.api.Connection;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Turns a {@code cassandra} connection into a {@link CqlSession}: contact points from the {@code
 * contact_points} extra (or host and port), the local datacenter from {@code local_datacenter},
 * credentials from login and password, the keyspace from the schema.
 */
public final class CassandraHook {
  private CassandraHook() {}

  public static CqlSession session(Connection connection) {
    // why: schema changes (a cql task's DDL) take seconds on a busy node; the driver's 2 s default
    // fails them while the change still goes through
    CqlSessionBuilder builder =
        CqlSession.builder()
            .withConfigLoader(
                DriverConfigLoader.programmaticBuilder()
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                    .build());
    String points =
        connection
            .extra("contact_points")
            .orElse(
                connection.host() + ":" + (connection.port() == null ? 9042 : connection.port()));
    for (String point : points.split(",")) {
      HostPort hp = HostPort.first(point, 9042);
      builder.addContactPoint(new InetSocketAddress(hp.host(), hp.port()));
    }
    builder.withLocalDatacenter(connection.extra("local_datacenter").orElse("datacenter1"));
    if (connection.login() != null)
      builder.withAuthCredentials(connection.login(), connection.password());
    if (connection.schema() != null && !connection.schema().isBlank())
      builder.withKeyspace(connection.schema());
    return builder.build();
  }
}
