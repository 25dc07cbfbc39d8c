package io.sluice.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The metadata store on H2 or PostgreSQL, with Flyway migrations and a HikariCP pool.
 *
 * <pre>{@code
 * try (JdbcStore store = JdbcStore.open("jdbc:h2:mem:meta;MODE=PostgreSQL;DB_CLOSE_DELAY=-1", "sa", "", 8)) {
 *   store.migrate();
 *   store.inTransaction(tx -> tx.dags());
 * }
 * }</pre>
 */
public final class JdbcStore implements MetadataStore {
  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final UncachedQueries uncached;
  private final String url;

  /** Which database we talk to; a few statements differ. */
  enum Dialect {
    H2,
    POSTGRESQL
  }

  private JdbcStore(HikariDataSource dataSource, String url) {
    this.dataSource = dataSource;
    this.url = url;
    this.dialect = url.startsWith("jdbc:postgresql:") ? Dialect.POSTGRESQL : Dialect.H2;
    this.uncached = dialect == Dialect.H2 ? new UncachedQueries() : null;
  }

  /** Opens a pool of at most {@code poolSize} connections; does not migrate. */
  public static JdbcStore open(String url, String user, String password, int poolSize) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(url);
    hc.setUsername(user);
    hc.setPassword(password);
    hc.setMaximumPoolSize(Math.max(2, poolSize));
    // why: a fixed-size pool; one that grows opens its connections while a burst of tasks waits
    hc.setMinimumIdle(Math.max(2, poolSize));
    // why: a batch of inserts (a run's task instances, a try's log lines) is one statement with a
    // row per insert, not one statement per row; a URL that sets it otherwise wins.
    if (url.startsWith("jdbc:postgresql:"))
      hc.addDataSourceProperty("reWriteBatchedInserts", "true");
    hc.setAutoCommit(false);
    hc.setPoolName("sluice-metadata");
    hc.setConnectionTimeout(10_000);
    hc.setInitializationFailTimeout(10_000);
    try {
      return new JdbcStore(new HikariDataSource(hc), url);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to the metadata database " + redact(url), e);
    }
  }

  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^;&]*", "$1****");
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public <T> T inTransaction(TransactionWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(new JdbcTransaction(c, dialect, uncached));
        c.commit();
        return result;
      } catch (RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("metadata database error", e);
    }
  }

  /** Runs {@code work}, a single statement, in auto-commit mode: no commit round trip. */
  @Override
  public <T> T inStatement(TransactionWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      try {
        return work.run(new JdbcTransaction(c, dialect, uncached));
      } finally {
        c.setAutoCommit(false);
      }
    } catch (SQLException e) {
      throw new StoreException("metadata database error", e);
    }
  }

  private Flyway flyway() {
    return Flyway.configure()
        .dataSource(dataSource)
        // why: statements only one database understands (PostgreSQL's partial indexes) live in a
        // second location; out of order because version ranges are set aside per area (V1..V49
        // engine, V50 connections, V100 users), so a lower version may arrive after a higher one.
        .locations(
            dialect == Dialect.POSTGRESQL
                ? new String[] {"classpath:db/migration", "classpath:db/migration-postgresql"}
                : new String[] {"classpath:db/migration"})
        .outOfOrder(true)
        .cleanDisabled(false)
        .load();
  }

  @Override
  public void migrate() {
    try {
      flyway().migrate();
    } catch (RuntimeException e) {
      throw new StoreException("schema migration of " + redact(url) + " failed", e);
    }
  }

  @Override
  public void reset() {
    flyway().clean();
    migrate();
  }

  /** True when every migration on the class path has been applied. */
  public boolean upToDate() {
    var info = flyway().info();
    return info.pending().length == 0 && info.current() != null;
  }

  @Override
  public String describe() {
    var info = flyway().info();
    String version = info.current() == null ? "none" : info.current().getVersion().getVersion();
    return dialect.name().toLowerCase()
        + " "
        + redact(url)
        + ", schema version "
        + version
        + (info.pending().length > 0
            ? " (" + info.pending().length + " migrations pending)"
            : " (up to date)");
  }

  @Override
  public void close() {
    if (dialect == Dialect.H2 && url.startsWith("jdbc:h2:mem:")) {
      // why: DB_CLOSE_DELAY=-1 keeps an in-memory database alive until shut down explicitly.
      try (Connection c = dataSource.getConnection();
          var st = c.createStatement()) {
        st.execute("SHUTDOWN");
      } catch (SQLException ignored) {
        // already gone
      }
    }
    dataSource.close();
  }
}
