package io.sluice.core.secrets;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login to the embedded (H2) metadata database. A database created before passwords were
 * generated still has {@link LocalSecrets#LEGACY_DB_PASSWORD}; the first process to open it with
 * the generated password changes it, so old data directories keep working and lose the default.
 */
public final class EmbeddedDbLogin {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDbLogin.class);
  // why: H2's ErrorCode.WRONG_USER_OR_PASSWORD, without a compile dependency on H2 in the core
  private static final int WRONG_USER_OR_PASSWORD = 28000;

  private EmbeddedDbLogin() {}

  /**
   * Checks that {@code user}/{@code password} open the H2 database at {@code url}; when it refuses
   * them but still takes the legacy password, sets {@code password} first. Other databases are left
   * alone.
   *
   * @throws SQLException when neither password opens it (the message says what to configure)
   */
  public static void check(String url, String user, String password) throws SQLException {
    if (!url.startsWith("jdbc:h2:")) return;
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      return;
    } catch (SQLException wrong) {
      if (wrong.getErrorCode() != WRONG_USER_OR_PASSWORD
          || LocalSecrets.LEGACY_DB_PASSWORD.equals(password)
          || !user.matches("[A-Za-z_][A-Za-z0-9_]*")) throw wrong;
      try (Connection c = DriverManager.getConnection(url, user, LocalSecrets.LEGACY_DB_PASSWORD);
          Statement s = c.createStatement()) {
        // why: ALTER USER takes no bind parameter; the user is checked above and the password is
        // quoted as a SQL string literal
        s.execute("ALTER USER " + user + " SET PASSWORD '" + password.replace("'", "''") + "'");
        LOG.warn(
            "The metadata database still had the old default password; it now has the generated"
                + " one (SLUICE_DB_PASSWORD, or db.password under the data directory's secrets).");
      } catch (SQLException legacyRefused) {
        throw new SQLException(
            "the metadata database refused user '"
                + user
                + "' with the configured or generated password; set SLUICE_DB_PASSWORD to the"
                + " password it was created with",
            wrong.getSQLState(),
            wrong.getErrorCode(),
            wrong);
      }
    }
  }
}
