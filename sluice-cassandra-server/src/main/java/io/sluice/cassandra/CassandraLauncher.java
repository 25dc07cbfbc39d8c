package io.sluice.cassandra;

import java.io.IOException;
import java.io.InputStream;

/**
 * Main class of the Cassandra child JVM: starts {@code CassandraDaemon} and exits when its parent
 * process goes away.
 *
 * <p>The parent keeps the child's standard input open as a pipe; end of input means the parent died
 * (even by {@code kill -9}), so the node shuts down through its own shutdown hooks instead of
 * lingering with the ports taken.
 */
public final class CassandraLauncher {
  private CassandraLauncher() {}

  public static void main(String[] args) throws Exception {
    if (!"false".equals(System.getProperty("sluice.exit-with-parent"))) {
      Thread watchdog =
          new Thread(CassandraLauncher::exitWhenInputCloses, "sluice-parent-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }
    Class.forName("org.apache.cassandra.service.CassandraDaemon")
        .getMethod("main", String[].class)
        .invoke(null, (Object) args);
  }

  private static void exitWhenInputCloses() {
    InputStream in = System.in;
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) != -1) {
        // why: the parent never writes; reading only detects the pipe closing
      }
    } catch (IOException ignored) {
      // a broken pipe means the same as end of input
    }
    System.exit(0);
  }
}
