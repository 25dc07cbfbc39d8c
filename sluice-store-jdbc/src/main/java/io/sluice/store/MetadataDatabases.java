package io.sluice.store;

import io.sluice.core.config.LocalMetadata;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.secrets.EmbeddedDbLogin;
import io.sluice.core.secrets.LocalSecrets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Chooses and opens the metadata database from the configuration: {@link Settings#DB_URL} when set;
 * otherwise the local stack's H2 server on {@link Settings#DB_PORT} when it answers; otherwise the
 * H2 file under {@code <data dir>/metadata}, opened in this process (with H2's auto-server, so that
 * other {@code sluice} processes can share it).
 */
public final class MetadataDatabases {
  private MetadataDatabases() {}

  /**
   * The JDBC URL the configuration points at: {@link Settings#DB_URL}; else the local stack's
   * PostgreSQL ({@link LocalMetadata#postgres}); else its H2 server when it answers; else the H2
   * file.
   */
  public static String url(SluiceConfig config) {
    var explicit = config.find(Settings.DB_URL);
    if (explicit.isPresent()) return explicit.get();
    if (LocalMetadata.postgres(config)) return LocalMetadata.postgresUrl(config);
    int port = config.get(Settings.DB_PORT);
    if (reachable(port)) return "jdbc:h2:tcp://127.0.0.1:" + port + "/sluice;MODE=PostgreSQL";
    Path dir = config.dataDir().resolve("metadata");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    return "jdbc:h2:file:"
        + dir.resolve("sluice")
        + ";MODE=PostgreSQL;AUTO_SERVER=TRUE;QUERY_CACHE_SIZE=128";
  }

  /**
   * True when the configured database is there to read: an explicit URL, the local stack's H2
   * server answering, or the H2 file already created. Creates nothing.
   */
  public static boolean exists(SluiceConfig config) {
    if (config.find(Settings.DB_URL).isPresent() || reachable(config.get(Settings.DB_PORT)))
      return true;
    return Files.exists(config.dataDir().resolve("metadata").resolve("sluice.mv.db"));
  }

  /**
   * Opens (does not migrate) the configured database, with {@link LocalSecrets#dbPassword}; an
   * embedded database still on the legacy password is moved to the generated one first.
   */
  public static JdbcStore open(SluiceConfig config, int poolSize) {
    String url = url(config);
    String user = config.get(Settings.DB_USER);
    String password = LocalSecrets.dbPassword(config);
    try {
      EmbeddedDbLogin.check(url, user, password);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot open the metadata database " + url + ": " + e.getMessage(), e);
    }
    return JdbcStore.open(url, user, password, poolSize);
  }

  /** A fresh, migrated in-memory H2 database, gone when closed; for tests and {@code dags test}. */
  public static JdbcStore inMemory() {
    JdbcStore store =
        JdbcStore.open(
            "jdbc:h2:mem:sluice-"
                + UUID.randomUUID()
                + ";MODE=PostgreSQL;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=128",
            "sa",
            "",
            16);
    store.migrate();
    return store;
  }

  private static boolean reachable(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
