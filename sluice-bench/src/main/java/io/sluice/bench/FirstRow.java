package io.sluice.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Waits until a CQL query's first column counts more than zero (the first row of a table), polling
 * every 250 ms and reconnecting while the node or the keyspace does not exist yet; when it does,
 * prints the wall-clock time of that read (epoch milliseconds), closes the session and exits 0;
 * exits 1 at the deadline. Used by bench/cold-up.sh, which times the command to that read.
 *
 * <p>Usage: {@code FirstRow <port> <timeout seconds> <query>} against 127.0.0.1, data centre {@code
 * datacenter1}.
 */
public final class FirstRow {
  private FirstRow() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(args[0]);
    long deadline = System.nanoTime() + Duration.ofSeconds(Long.parseLong(args[1])).toNanos();
    String query = args[2];
    CqlSession session = null;
    while (System.nanoTime() < deadline) {
      try {
        if (session == null)
          session =
              CqlSession.builder()
                  .addContactPoint(new InetSocketAddress("127.0.0.1", port))
                  .withLocalDatacenter("datacenter1")
                  .build();
        var row = session.execute(query).one();
        if (row != null && row.getLong(0) > 0) {
          // why: the row is readable now; the driver's close (its event loops' quiet period) and
          // the JVM's exit after it are the poller's, not the stack's, so the time is taken here
          System.out.println(System.currentTimeMillis());
          System.out.flush();
          session.close();
          System.exit(0);
        }
      } catch (RuntimeException e) {
        // why: the node starts, then the keyspace and table are created by the job; keep polling
      }
      Thread.sleep(250);
    }
    System.err.println("no row within " + args[1] + " s: " + query);
    System.exit(1);
  }
}
