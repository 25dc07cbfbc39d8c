package io.sluice.spark.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and statement preparation that wait out an unreachable Cassandra with backoff, like {@link
 * AsyncWriter}'s writes.
 */
public final class RetryingReads {
  private static final Logger log = LoggerFactory.getLogger(RetryingReads.class);

  private RetryingReads() {}

  /** Prepares {@code cql}, retrying transient failures for as long as it takes. */
  public static PreparedStatement prepare(CqlSession session, String cql) {
    Backoff backoff = new Backoff();
    while (true) {
      try {
        return session.prepare(cql);
      } catch (RuntimeException e) {
        if (!AsyncWriter.isTransient(e)) throw e;
        log.warn("preparing a statement failed transiently ({}); retrying", e.getMessage());
        backoff.pause();
      }
    }
  }

  /**
   * Every row of {@code statement}, all pages; retries transient failures for as long as it takes.
   */
  public static List<Row> readAll(CqlSession session, Statement<?> statement) {
    Backoff backoff = new Backoff();
    while (true) {
      try {
        return session.execute(statement).all();
      } catch (RuntimeException e) {
        if (!AsyncWriter.isTransient(e)) throw e;
        log.warn("Cassandra read failed transiently ({}); retrying", e.getMessage());
        backoff.pause();
      }
    }
  }
}
