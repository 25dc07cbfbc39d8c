package io.sluice.local;

import io.sluice.local.cassandra.CassandraRing;
import io.sluice.local.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The nodes of a running stack, for other {@code sluice} processes: the stack's process lists them
 * in {@code <data.dir>/run/nodes} ({@code sluice stack status} reads it) and stops one when a
 * request file {@code <data.dir>/run/stop/<name>} appears ({@code sluice stack stop kafka-2} writes
 * it and waits until it is gone).
 *
 * <pre>{@code
 * try (StackNodes nodes = StackNodes.serve(dataDir, list, Map.of("kafka-2", () -> kafka.kill(2)))) {
 *   // another process: StackNodes.requestStop(dataDir, "kafka-2", Duration.ofMinutes(1));
 * }
 * }</pre>
 */
public final class StackNodes implements AutoCloseable {
  /**
   * One node: its name ({@code kafka-2}), its address ({@code host:port} or a URL) and, for a child
   * JVM, its pid (0 for a node running in the stack's process).
   */
  public record Node(String name, String address, long pid) {}

  private static final Duration POLL = Duration.ofMillis(500);

  private final Path dataDir;
  private final Map<String, Runnable> stoppers;
  private final ScheduledExecutorService poller;

  private StackNodes(Path dataDir, Map<String, Runnable> stoppers) {
    this.dataDir = dataDir;
    this.stoppers = stoppers;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-stack-nodes");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Lists {@code nodes} for other processes and serves stop requests until closed: a node of {@code
   * stoppers} by its stopper, any other child JVM by killing its pid.
   */
  public static StackNodes serve(Path dataDir, List<Node> nodes, Map<String, Runnable> stoppers) {
    StringBuilder text = new StringBuilder();
    for (Node n : nodes)
      text.append(n.name())
          .append(' ')
          .append(n.address())
          .append(' ')
          .append(n.pid())
          .append('\n');
    try {
      Files.createDirectories(stopDir(dataDir));
      Files.writeString(file(dataDir), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file(dataDir), e);
    }
    Map<String, Runnable> all = new java.util.HashMap<>(stoppers);
    for (Node n : nodes) if (n.pid() > 0) all.putIfAbsent(n.name(), () -> kill(n.pid()));
    StackNodes served = new StackNodes(dataDir, Map.copyOf(all));
    served.poller.scheduleWithFixedDelay(
        served::handleRequests, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    return served;
  }

  /**
   * Serves the nodes of {@code stack}'s Kafka cluster and Cassandra ring (when they have more than
   * one node; each can be stopped) and {@code extra} (listed only).
   */
  public static StackNodes serve(LocalStack stack, List<Node> extra) {
    List<Node> nodes = new ArrayList<>();
    Map<String, Runnable> stoppers = new java.util.HashMap<>();
    EmbeddedKafka kafka = stack.services().contains(Service.KAFKA) ? stack.kafka() : null;
    if (kafka != null && kafka.size() > 1) {
      for (int id = 1; id <= kafka.size(); id++) {
        String name = Topology.nodeName(Service.KAFKA, id);
        nodes.add(new Node(name, kafka.address(id), 0));
        int node = id;
        stoppers.put(name, () -> kafka.kill(node));
      }
    }
    CassandraRing ring = stack.services().contains(Service.CASSANDRA) ? stack.cassandra() : null;
    if (ring != null && ring.nodes().size() > 1) {
      for (int i = 0; i < ring.nodes().size(); i++) {
        String name = Topology.nodeName(Service.CASSANDRA, i + 1);
        var cp = ring.contactPoint(i);
        nodes.add(
            new Node(name, cp.getHostString() + ":" + cp.getPort(), ring.nodes().get(i).pid()));
        int node = i;
        stoppers.put(name, () -> ring.kill(node));
      }
    }
    nodes.addAll(extra);
    return serve(stack.dataDir(), nodes, stoppers);
  }

  /** The nodes a running stack listed, or an empty list when none did. */
  public static List<Node> read(Path dataDir) {
    Path file = file(dataDir);
    if (!Files.exists(file)) return List.of();
    List<Node> nodes = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split(" ");
        if (parts.length == 3) nodes.add(new Node(parts[0], parts[1], Long.parseLong(parts[2])));
      }
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
    return nodes;
  }

  /**
   * Asks the running stack to stop node {@code name} and waits until it has.
   *
   * @throws LocalStackException when no running stack lists the node, or it does not stop in time
   */
  public static void requestStop(Path dataDir, String name, Duration timeout) {
    List<Node> nodes = read(dataDir);
    if (nodes.stream().noneMatch(n -> n.name().equals(name)))
      throw new LocalStackException(
          "no node '"
              + name
              + "' in a running stack on "
              + dataDir
              + (nodes.isEmpty()
                  ? " (is one running? `sluice stack status`)"
                  : "; its nodes: " + String.join(", ", nodes.stream().map(Node::name).toList())));
    Path request = stopDir(dataDir).resolve(name);
    try {
      Files.writeString(request, "");
      long deadline = System.nanoTime() + timeout.toNanos();
      while (Files.exists(request)) {
        if (System.nanoTime() > deadline)
          throw new LocalStackException(
              name + " was not stopped within " + timeout.toSeconds() + " s (is the stack alive?)");
        TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + request, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStackException("interrupted while stopping " + name, e);
    }
  }

  /** Stops serving and removes the list: the nodes are going away with their stack. */
  @Override
  public void close() {
    poller.shutdownNow();
    try {
      Files.deleteIfExists(file(dataDir));
    } catch (IOException ignored) {
      // a stale list is harmless: status probes every address
    }
  }

  /** True when {@code node} answers: its process is alive, or its port accepts connections. */
  public static boolean isUp(Node node) {
    if (node.pid() > 0)
      return ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false);
    String hostPort = node.address().replaceFirst("^[a-z]+://", "");
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) return false;
    return Ports.isListening(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), 1000);
  }

  private static void kill(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            h -> {
              h.destroyForcibly();
              h.onExit().join();
            });
  }

  private void handleRequests() {
    try (var requests = Files.list(stopDir(dataDir))) {
      for (Path request : requests.toList()) {
        Runnable stop = stoppers.get(request.getFileName().toString());
        try {
          if (stop != null) stop.run();
        } finally {
          Files.deleteIfExists(request);
        }
      }
    } catch (IOException | RuntimeException e) {
      // why: one failed request must not end the polling; the requester times out and says so
    }
  }

  private static Path file(Path dataDir) {
    return dataDir.resolve("run").resolve("nodes");
  }

  private static Path stopDir(Path dataDir) {
    return dataDir.resolve("run").resolve("stop");
  }
}
