package io.sluice.spark.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.sluice.spark.Endpoints;
import io.sluice.spark.JobSettings;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Cassandra session per JVM and contact-point list, shared by every batch and partition of a
 * job. Opening waits (with backoff) until Cassandra answers: a batch is never skipped because the
 * database is down.
 */
public final class CassandraSessions {
  private static final Logger log = LoggerFactory.getLogger(CassandraSessions.class);
  private static final Map<String, CqlSession> SESSIONS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> SESSIONS.values().forEach(CqlSession::close), "cassandra-close"));
  }

  private CassandraSessions() {}

  public static CqlSession get(JobSettings settings) {
    String key =
        settings.cassandraContactPoints()
            + "/"
            + settings.cassandraDatacenter()
            + "/"
            + settings.consistency();
    return SESSIONS.computeIfAbsent(key, k -> open(settings));
  }

  private static CqlSession open(JobSettings settings) {
    DriverConfigLoader loader =
        DriverConfigLoader.programmaticBuilder()
            // why: the default 60 s reconnection ceiling would leave a job idle long after an
            // outage
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
            .withDuration(
                DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(10))
            // why: on a ring, a table is usable on every node only once they agree on the schema
            .withDuration(
                DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(60))
            .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 2048)
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, settings.consistency())
            .build();
    // why: a job starts while the local stack's Cassandra is still starting; a short ceiling
    // connects it soon after the node answers
    Backoff backoff = new Backoff(1_000);
    while (true) {
      try {
        return CqlSession.builder()
            .addContactPoints(Endpoints.parseHostPorts(settings.cassandraContactPoints()))
            .withLocalDatacenter(settings.cassandraDatacenter())
            .withConfigLoader(loader)
            .build();
      } catch (RuntimeException e) {
        log.warn(
            "Cassandra at {} is unreachable ({}); retrying",
            settings.cassandraContactPoints(),
            e.getMessage());
        backoff.pause();
      }
    }
  }
}
