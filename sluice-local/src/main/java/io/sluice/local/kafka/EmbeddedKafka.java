package io.sluice.local.kafka;

import io.sluice.local.LocalStackException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Kafka in KRaft mode running in this JVM: one node, or a cluster of N nodes, each a combined
 * broker and controller on loopback with a static controller quorum.
 *
 * <p>A node's log directory is formatted on its first start and reused afterwards, so topics and
 * records survive a restart on the same directory and ports. One node keeps its files in {@code
 * logDir} itself; the nodes of a cluster in {@code logDir/node-<id>}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, List.of(9092, 9094, 9096), List.of(9093, 9095, 9097))) {
 *   String bootstrap = kafka.bootstrapServers(); // 127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096
 *   kafka.kill(2); // as if the process of node 2 died
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

  /** One combined broker and controller. */
  private record Node(int id, int port, int controllerPort, Path dir, KafkaRaftServer server) {
    String address() {
      return "127.0.0.1:" + port;
    }
  }

  private final Path logDir;
  private final List<Node> nodes;
  private final List<Node> running;

  private EmbeddedKafka(Path logDir, List<Node> nodes) {
    this.logDir = logDir;
    this.nodes = List.copyOf(nodes);
    this.running = new ArrayList<>(nodes);
  }

  /** Formats {@code logDir} if needed, starts one node and waits until it answers an admin call. */
  public static EmbeddedKafka start(Path logDir, int port, int controllerPort) {
    return start(logDir, List.of(port), List.of(controllerPort));
  }

  /**
   * Starts a cluster of {@code ports.size()} nodes, node {@code i + 1} listening on {@code
   * ports.get(i)} and {@code controllerPorts.get(i)}, and waits until every node is registered.
   * Internal topics get a replication factor of min(3, nodes).
   *
   * <p>The nodes start in parallel: a KRaft node finishes starting only once a quorum of
   * controllers is up, so a sequential start would wait for itself.
   */
  public static EmbeddedKafka start(
      Path logDir, List<Integer> ports, List<Integer> controllerPorts) {
    int n = ports.size();
    if (n < 1 || controllerPorts.size() != n)
      throw new IllegalArgumentException("one broker and one controller port per node");
    String voters =
        IntStream.range(0, n)
            .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
            .collect(Collectors.joining(","));
    List<Path> dirs =
        IntStream.rangeClosed(1, n)
            .mapToObj(id -> n == 1 ? logDir : logDir.resolve("node-" + id))
            .toList();
    formatMissing(dirs);
    List<CompletableFuture<Node>> starting = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = i + 1;
      Properties props =
          nodeProperties(id, n, voters, dirs.get(i), ports.get(i), controllerPorts.get(i));
      Path dir = dirs.get(i);
      int port = ports.get(i);
      int controllerPort = controllerPorts.get(i);
      starting.add(
          CompletableFuture.supplyAsync(
              () -> startNode(id, port, controllerPort, dir, props), daemonThreadPerTask()));
    }
    List<Node> started = new ArrayList<>();
    RuntimeException failure = null;
    for (CompletableFuture<Node> f : starting) {
      try {
        started.add(f.join());
      } catch (CompletionException e) {
        RuntimeException cause =
            e.getCause() instanceof RuntimeException r ? r : new LocalStackException(e.toString());
        if (failure == null) failure = cause;
        else failure.addSuppressed(cause);
      }
    }
    EmbeddedKafka kafka = new EmbeddedKafka(logDir, started);
    try {
      if (failure != null) throw failure;
      kafka.awaitNodesRegistered(n, ANSWER_TIMEOUT);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    return kafka;
  }

  /** The running nodes, {@code 127.0.0.1:port,...}. */
  public synchronized String bootstrapServers() {
    return running.stream().map(Node::address).collect(Collectors.joining(","));
  }

  /** How many nodes this cluster was started with. */
  public int size() {
    return nodes.size();
  }

  /** The ids of the nodes still running (1..size). */
  public synchronized List<Integer> runningNodeIds() {
    return running.stream().map(Node::id).toList();
  }

  /** The broker address of node {@code id}, {@code 127.0.0.1:port}. */
  public String address(int id) {
    return node(id).address();
  }

  /**
   * Stops node {@code id} at once, without a controlled shutdown: its partitions stay led by it
   * until the controller fences it when its broker session times out, as after a crash. The other
   * nodes keep running; with 3 nodes the controller quorum survives. Blocks until the node is down.
   */
  public void kill(int id) {
    Node node = node(id);
    synchronized (this) {
      if (!running.remove(node)) return;
    }
    node.server().shutdown();
    node.server().awaitShutdown();
  }

  public Path logDir() {
    return logDir;
  }

  /** The broker's version, e.g. 4.3.1. */
  public static String version() {
    return AppInfoParser.getVersion();
  }

  /** Stops every running node, all at once: a KRaft node waits for its quorum while it stops. */
  @Override
  public void close() {
    List<Node> stopping;
    synchronized (this) {
      stopping = List.copyOf(running);
      running.clear();
    }
    if (stopping.size() == 1) {
      stop(stopping.get(0));
      return;
    }
    CompletableFuture.allOf(
            stopping.stream()
                .map(node -> CompletableFuture.runAsync(() -> stop(node), daemonThreadPerTask()))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  static Properties nodeProperties(
      int id, int nodes, String voters, Path logDir, int port, int controllerPort) {
    String replicas = Integer.toString(Math.min(3, nodes));
    String minIsr = Integer.toString(Math.min(2, nodes));
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(id));
    p.put("controller.quorum.voters", voters);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://127.0.0.1:"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // why: a node can only hold one replica of each partition, so internal topics cannot have more
    // replicas than there are nodes
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", replicas);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("default.replication.factor", replicas);
    p.put("min.insync.replicas", nodes == 1 ? "1" : minIsr);
    // why: consumers in tests and pipelines should join at once, not after 3 s
    p.put("group.initial.rebalance.delay.ms", "0");
    // why: a mistyped topic name must be an error that names it, not a new empty topic; Sluice
    // creates its topics itself (TopicProvisioner), with the configured partitions and replication
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // why: a cluster's node is stopped as a crashed process would be (see kill); a single node
    // keeps its controlled shutdown, which is immediate when it leads everything itself
    if (nodes > 1) p.put("controlled.shutdown.enable", "false");
    // why: the active controller appends a no-op record to the metadata log every 500 ms by
    // default,
    // so that other nodes see the log move; each is written, flushed and replayed by the broker,
    // the largest share of an idle node's own work. A single node has nobody to show it to.
    if (nodes == 1) p.put("metadata.max.idle.interval.ms", "10000");
    // why: a combined node runs a request-handler pool (num.io.threads, 8) and network threads
    // (num.network.threads, 3) for its broker and again for its controller, every one waking each
    // 300 ms to look for work: 24 threads and about 80 wake-ups a second at rest. The local stack
    // runs on a few cores, where two handlers and one network thread per listener serve as much.
    p.put("num.io.threads", "2");
    p.put("num.network.threads", "1");
    return p;
  }

  private Node node(int id) {
    if (id < 1 || id > nodes.size())
      throw new IllegalArgumentException("no node " + id + " in a cluster of " + nodes.size());
    return nodes.get(id - 1);
  }

  private static Node startNode(int id, int port, int controllerPort, Path dir, Properties props) {
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown();
      throw new LocalStackException(
          "Kafka failed to start on port " + port + ": " + e.getMessage(), e);
    }
    return new Node(id, port, controllerPort, dir, server);
  }

  private static void stop(Node node) {
    node.server().shutdown();
    node.server().awaitShutdown();
  }

  /** Formats the directories that have no storage yet, all with the cluster id of the others. */
  private static void formatMissing(List<Path> dirs) {
    try {
      String clusterId = null;
      for (Path dir : dirs) {
        Files.createDirectories(dir);
        Optional<String> existing = clusterId(dir);
        if (existing.isPresent()) clusterId = existing.get();
      }
      if (clusterId == null) clusterId = Uuid.randomUuid().toString();
      for (int i = 0; i < dirs.size(); i++) {
        if (!Files.exists(dirs.get(i).resolve("meta.properties")))
          format(dirs.get(i), i + 1, clusterId);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka log directories under " + dirs, e);
    }
  }

  private static Optional<String> clusterId(Path dir) throws IOException {
    Path meta = dir.resolve("meta.properties");
    if (!Files.exists(meta)) return Optional.empty();
    Properties p = new Properties();
    try (var in = Files.newInputStream(meta)) {
      p.load(in);
    }
    return Optional.ofNullable(p.getProperty("cluster.id"));
  }

  private static void format(Path dir, int id, String clusterId) {
    try {
      new Formatter()
          .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
          .setNodeId(id)
          .setClusterId(clusterId)
          .addDirectory(dir.toString())
          .setMetadataLogDirectory(dir.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .run();
    } catch (Exception e) {
      throw new LocalStackException(
          "cannot format the Kafka storage in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static java.util.concurrent.Executor daemonThreadPerTask() {
    return r -> {
      Thread t = new Thread(r, "sluice-kafka-node");
      t.setDaemon(true);
      t.start();
    };
  }

  private void awaitNodesRegistered(int expected, Duration timeout) {
    Map<String, Object> conf =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) timeout.toMillis(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5000);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = Admin.create(conf)) {
      while (true) {
        int nodes = admin.describeCluster().nodes().get().size();
        if (nodes >= expected) return;
        if (System.nanoTime() > deadline)
          throw new LocalStackException(
              "Kafka on "
                  + bootstrapServers()
                  + " reports "
                  + nodes
                  + " of "
                  + expected
                  + " nodes");
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LocalStackException("interrupted while waiting for Kafka", e);
    } catch (LocalStackException e) {
      throw e;
    } catch (Exception e) {
      throw new LocalStackException(
          "Kafka broker on " + bootstrapServers() + " did not answer: " + e.getMessage(), e);
    }
  }
}
