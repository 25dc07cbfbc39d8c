package io.sluice.local.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.sluice.local.LocalStackException;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A ring of Cassandra nodes, one child JVM each, on the loopback addresses 127.0.0.1, 127.0.0.2,
 * ... with the same CQL and storage ports. Every node is a seed and owns one evenly spaced token,
 * so the nodes start side by side without bootstrapping or streaming.
 *
 * <pre>{@code
 * try (CassandraRing ring = CassandraRing.start(dir, 3, "384m", "datacenter1", Duration.ofMinutes(3), log)) {
 *   String contactPoints = ring.contactPoints(); // 127.0.0.1:p,127.0.0.2:p,127.0.0.3:p
 *   ring.kill(2);
 * }
 * }</pre>
 */
public final class CassandraRing implements AutoCloseable {
  private final List<CassandraNode> nodes;
  private final int cqlPort;
  private final String datacenter;

  private CassandraRing(List<CassandraNode> nodes, int cqlPort, String datacenter) {
    this.nodes = nodes;
    this.cqlPort = cqlPort;
    this.datacenter = datacenter;
  }

  /** The loopback address of node {@code i} (0-based): 127.0.0.{i+1}. */
  public static String address(int i) {
    return "127.0.0." + (i + 1);
  }

  /**
   * Launches {@code size} nodes at once under {@code dir/node<i>} on free ports and waits until
   * every node accepts CQL and sees all the others; stops them all and throws when one fails.
   */
  public static CassandraRing start(
      Path dir,
      int size,
      String heap,
      String datacenter,
      Duration timeout,
      Consumer<String> progress) {
    int[] ports = freeOnAll(size, 2);
    CassandraRing ring = launch(dir, size, ports[0], ports[1], heap, datacenter, progress);
    ring.awaitReady(timeout);
    return ring;
  }

  /**
   * Launches {@code size} nodes at once, every one on {@code cqlPort} and {@code storagePort} of
   * its own loopback address, and returns without waiting ({@link #awaitReady}). One node keeps its
   * files in {@code dir} itself, the nodes of a larger ring in {@code dir/node<i>}.
   */
  public static CassandraRing launch(
      Path dir,
      int size,
      int cqlPort,
      int storagePort,
      String heap,
      String datacenter,
      Consumer<String> progress) {
    List<String> seeds = new ArrayList<>();
    for (int i = 0; i < size; i++) seeds.add(address(i) + ":" + storagePort);
    List<CassandraNode> nodes = new ArrayList<>();
    CassandraRing ring = new CassandraRing(nodes, cqlPort, datacenter);
    try {
      for (int i = 0; i < size; i++) {
        String name = "node" + (i + 1);
        CassandraNode.Settings settings =
            size == 1
                ? new CassandraNode.Settings(dir, cqlPort, storagePort, heap, datacenter)
                : new CassandraNode.Settings(
                    dir.resolve(name),
                    cqlPort,
                    storagePort,
                    heap,
                    datacenter,
                    address(i),
                    seeds,
                    token(i, size));
        Consumer<String> log = size == 1 ? progress : line -> progress.accept(name + ": " + line);
        nodes.add(CassandraNode.launch(settings, log));
      }
      return ring;
    } catch (RuntimeException e) {
      ring.close();
      throw e;
    }
  }

  /**
   * Waits until every node accepts CQL and sees all the others; stops them all and throws when that
   * does not happen within {@code timeout}.
   */
  public void awaitReady(Duration timeout) {
    try {
      for (CassandraNode node : nodes) node.awaitReady(timeout);
      if (nodes.size() > 1) awaitPeers(System.nanoTime() + timeout.toNanos());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public List<CassandraNode> nodes() {
    return List.copyOf(nodes);
  }

  public int cqlPort() {
    return cqlPort;
  }

  /** Every node as {@code host:port}, comma-separated (Sluice's contact-point format). */
  public String contactPoints() {
    return nodes.stream()
        .map(n -> n.contactPoint().getHostString() + ":" + n.contactPoint().getPort())
        .collect(Collectors.joining(","));
  }

  public List<InetSocketAddress> contactPointList() {
    return nodes.stream().map(CassandraNode::contactPoint).toList();
  }

  /** The CQL address of node {@code i} (0-based). */
  public InetSocketAddress contactPoint(int i) {
    return nodes.get(i).contactPoint();
  }

  /** Kills node {@code i} at once (SIGKILL), as a crash or a pulled plug would. */
  public void kill(int i) {
    ProcessHandle.of(nodes.get(i).pid())
        .ifPresent(
            h -> {
              h.destroyForcibly();
              try {
                h.onExit().get(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new LocalStackException("node " + address(i) + " did not die", e);
              }
            });
  }

  /** Stops every node still running, side by side. */
  @Override
  public void close() {
    List<Thread> stoppers = new ArrayList<>();
    for (CassandraNode node : nodes) {
      Thread t = new Thread(node::close, "stop-cassandra-" + node.pid());
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Waits until every node lists all the others among its peers: the ring is whole. */
  private void awaitPeers(long deadline) {
    DriverConfigLoader loader =
        DriverConfigLoader.programmaticBuilder()
            .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
            .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
            .build();
    for (CassandraNode node : nodes) {
      try (CqlSession session =
          CqlSession.builder()
              .addContactPoint(node.contactPoint())
              .withLocalDatacenter(datacenter)
              .withConfigLoader(loader)
              .build()) {
        while (true) {
          long peers =
              session.execute("SELECT peer FROM system.peers_v2").all().stream()
                  .filter(r -> r.getInetAddress("peer") != null)
                  .count();
          if (peers >= nodes.size() - 1) break;
          if (System.nanoTime() > deadline)
            throw new LocalStackException(
                "node "
                    + node.contactPoint()
                    + " sees "
                    + peers
                    + " of "
                    + (nodes.size() - 1)
                    + " peers; see "
                    + node.systemLog());
          TimeUnit.MILLISECONDS.sleep(200);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LocalStackException("interrupted while waiting for the ring", e);
      }
    }
  }

  /** Token {@code i} of {@code n} evenly spaced Murmur3 tokens. */
  static String token(int i, int n) {
    BigInteger range = BigInteger.TWO.pow(64);
    return BigInteger.valueOf(Long.MIN_VALUE)
        .add(range.multiply(BigInteger.valueOf(i)).divide(BigInteger.valueOf(n)))
        .toString();
  }

  /** {@code count} ports that are free on each of the first {@code size} loopback addresses. */
  private static int[] freeOnAll(int size, int count) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int[] ports = new int[count];
      boolean ok = true;
      for (int p = 0; p < count && ok; p++) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address(0)))) {
          ports[p] = s.getLocalPort();
        } catch (IOException e) {
          throw new LocalStackException("cannot find a free port: " + e.getMessage(), e);
        }
        for (int q = 0; q < p; q++) if (ports[q] == ports[p]) ok = false;
        for (int i = 1; i < size && ok; i++) ok = bindable(address(i), ports[p]);
      }
      if (ok) return ports;
    }
    throw new LocalStackException(
        "no port is free on all of 127.0.0.1.." + address(size - 1) + " (are they usable here?)");
  }

  private static boolean bindable(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
