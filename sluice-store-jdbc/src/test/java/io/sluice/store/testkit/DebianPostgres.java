package io.sluice.store.testkit;

import io.sluice.local.db.PostgresBinaries;
import io.sluice.local.db.PostgresServer;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's packaged PostgreSQL for the store's tests: the server the local stack runs ({@link
 * PostgresServer}), throw-away, and a JUnit assumption that skips a test when it is not installed.
 */
public final class DebianPostgres {
  /** Why a test that needs the binaries was skipped. */
  public static final String MISSING = PostgresBinaries.MISSING;

  private DebianPostgres() {}

  /** True when Debian's server binaries are installed. */
  public static boolean available() {
    return PostgresBinaries.debian().isPresent();
  }

  /**
   * Skips the calling test class or method when the binaries are missing, and says why on standard
   * error, since build reports show a skipped class without its reason.
   */
  public static void assumeAvailable() {
    if (available()) return;
    String caller =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .getCallerClass()
            .getSimpleName();
    System.err.println(caller + " skipped: " + MISSING);
    Assumptions.assumeTrue(false, MISSING);
  }

  /** A fresh server with {@code fsync=off} plus {@code settings}, deleted when closed. */
  public static PostgresServer start(Map<String, String> settings) {
    return PostgresServer.throwAway(settings);
  }
}
