package io.sluice.local.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.sluice.core.jvm.ClassArchive;
import io.sluice.local.LocalStackException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Cassandra 5.0 node in a child JVM.
 *
 * <p>Cassandra cannot run twice in one JVM and calls {@code System.exit} when it stops, so it runs
 * as {@code java -cp @cassandra.classpath io.sluice.cassandra.CassandraLauncher} with a JDK 17
 * (newer JDKs refuse its security manager). The node writes its log to {@code logs/system.log}
 * under its directory; it counts as ready when the log says CQL is listening and a CQL session
 * connects. The child exits on its own when this process dies (see {@code CassandraLauncher}).
 *
 * <pre>{@code
 * try (CassandraNode node = CassandraNode.launch(settings, System.err::println)) {
 *   node.awaitReady(Duration.ofMinutes(3));
 * }
 * }</pre>
 */
public final class CassandraNode implements AutoCloseable {
  /**
   * Where and how to run the node: {@code listenAddress} serves both CQL and the storage port;
   * {@code seeds} are {@code host:storagePort} entries (empty: the node itself); {@code
   * initialToken} is its single token in the ring.
   */
  public record Settings(
      Path dir,
      int cqlPort,
      int storagePort,
      String heap,
      String datacenter,
      String listenAddress,
      List<String> seeds,
      String initialToken) {
    /** A single node on 127.0.0.1 that is its own seed. */
    public Settings(Path dir, int cqlPort, int storagePort, String heap, String datacenter) {
      this(dir, cqlPort, storagePort, heap, datacenter, "127.0.0.1", List.of(), "0");
    }
  }

  private static final String CLASSPATH_RESOURCE = "/io/sluice/cassandra/cassandra.classpath";
  private static final String LAUNCHER = "io.sluice.cassandra.CassandraLauncher";
  private static final String READY_LINE = "Starting listening for CQL clients";
  private static final Pattern VERSION_IN_JAR =
      Pattern.compile("cassandra-all-([\\w.\\-]+?)\\.jar");

  // log lines that mark start-up phases, in the order they appear
  private static final List<String[]> PHASES =
      List.of(
          new String[] {"Configuration location", "configuration loaded"},
          new String[] {"Initializing system.", "opening the system keyspaces"},
          new String[] {"Replaying ", "replaying the commit log"},
          new String[] {"Starting up server gossip", "joining the ring"},
          new String[] {"state jump to NORMAL", "joined the ring"},
          new String[] {READY_LINE, "CQL listening"});

  private final Settings settings;
  private final Process process;
  private final Path systemLog;
  private final long logStart;
  private final Consumer<String> progress;
  private final ClassArchive archive;

  private CassandraNode(
      Settings settings,
      Process process,
      Path systemLog,
      long logStart,
      Consumer<String> progress,
      ClassArchive archive) {
    this.settings = settings;
    this.process = process;
    this.systemLog = systemLog;
    this.logStart = logStart;
    this.progress = progress;
    this.archive = archive;
  }

  /**
   * Writes the configuration and starts the child JVM; returns at once (see {@link #awaitReady}).
   */
  public static CassandraNode launch(Settings settings, Consumer<String> progress) {
    Path dir = settings.dir().toAbsolutePath();
    Path conf = dir.resolve("conf");
    Path logs = dir.resolve("logs");
    try {
      Files.createDirectories(conf);
      Files.createDirectories(logs);
      Files.createDirectories(dir.resolve("data"));
      Files.createDirectories(dir.resolve("triggers"));
      Files.writeString(conf.resolve("cassandra.yaml"), yaml(settings));
      Files.writeString(conf.resolve("logback.xml"), logback());
      Path systemLog = logs.resolve("system.log");
      long logStart = Files.exists(systemLog) ? Files.size(systemLog) : 0;
      List<String> classpath = new ArrayList<>(classpath());
      classpath.add(launcherLocation());
      ClassArchive archive =
          ClassArchive.of("cassandra", Jdk17.javaExecutable().toString(), List.of(), classpath);
      List<String> command =
          command(settings, dir, writeArgFile(dir, classpath), archive.jvmFlag());
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(logs.resolve("stdout.log").toFile()));
      // stdin stays a pipe: the child exits when it closes, i.e. when this JVM dies
      Process process = pb.start();
      progress.accept("starting (pid " + process.pid() + ", log " + systemLog + ")");
      return new CassandraNode(settings, process, systemLog, logStart, progress, archive);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch Cassandra in " + dir, e);
    }
  }

  /**
   * Blocks until the node accepts a CQL session, reporting each start-up phase; kills the node and
   * throws, with the end of its log, when it dies or does not get ready in time.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int nextPhase = 0;
    long offset = logStart;
    boolean listening = false;
    // why: loading the driver's configuration takes a second or more; do it while the node boots
    probeDriverConfig().getInitialConfig();
    try {
      while (!listening) {
        if (!process.isAlive()) {
          throw new LocalStackException(
              "Cassandra exited with code "
                  + process.exitValue()
                  + " before it was ready; the end of its log:\n"
                  + tail());
        }
        if (System.nanoTime() > deadline) {
          throw new LocalStackException(
              "Cassandra was not ready after "
                  + timeout.toSeconds()
                  + " s; the end of its log:\n"
                  + tail());
        }
        List<String> lines = new ArrayList<>();
        offset = readLines(offset, lines);
        for (String line : lines) {
          for (int i = nextPhase; i < PHASES.size(); i++) {
            if (line.contains(PHASES.get(i)[0])) {
              progress.accept(PHASES.get(i)[1]);
              nextPhase = i + 1;
              break;
            }
          }
          if (line.contains(READY_LINE)) listening = true;
        }
        if (!listening) TimeUnit.MILLISECONDS.sleep(100);
      }
      connectOnce(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new LocalStackException("interrupted while waiting for Cassandra", e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public InetSocketAddress contactPoint() {
    return new InetSocketAddress(settings.listenAddress(), settings.cqlPort());
  }

  public long pid() {
    return process.pid();
  }

  public Path systemLog() {
    return systemLog;
  }

  /** The Cassandra release on the resolved classpath, e.g. 5.0.9. */
  public static String version() {
    Matcher m = VERSION_IN_JAR.matcher(String.join(":", classpath()));
    return m.find() ? m.group(1) : "unknown";
  }

  /** Stops the node: SIGTERM lets it drain and flush; after 60 s it is killed. */
  @Override
  public void close() {
    stop(process.toHandle(), Duration.ofSeconds(60));
    archive.keepIfWritten();
  }

  /** Stops a node by its process handle (for {@code sluice stack down}). */
  public static boolean stop(ProcessHandle handle, Duration grace) {
    if (!handle.isAlive()) return true;
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      handle.destroyForcibly();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the caller through isAlive()
      }
      return false;
    }
  }

  /** True when the command line of {@code handle} is a Cassandra node started by Sluice. */
  public static boolean isCassandraNode(ProcessHandle handle) {
    return handle.info().commandLine().map(c -> c.contains(LAUNCHER)).orElse(false);
  }

  private void connectOnce(long deadline) throws InterruptedException {
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      long began = System.nanoTime();
      CqlSession session = null;
      try {
        session =
            CqlSession.builder()
                .addContactPoint(contactPoint())
                .withLocalDatacenter(settings.datacenter())
                .withConfigLoader(probeDriverConfig())
                .build();
        session.execute("SELECT release_version FROM system.local");
        progress.accept(
            "CQL session connected in " + (System.nanoTime() - began) / 1_000_000 + " ms");
        return;
      } catch (RuntimeException e) {
        last = e;
        TimeUnit.MILLISECONDS.sleep(200);
      } finally {
        // why: nobody waits for the probe session to wind down
        if (session != null) session.closeAsync();
      }
    }
    throw new LocalStackException(
        "Cassandra logs that CQL is listening, but a CQL session does not connect: " + last);
  }

  /** A lean driver configuration for the readiness probe: no schema or token metadata. */
  private static DriverConfigLoader probeDriverConfig() {
    return DriverConfigLoader.programmaticBuilder()
        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
        .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
        .build();
  }

  private long readLines(long offset, List<String> lines) {
    if (!Files.exists(systemLog)) return offset;
    try (RandomAccessFile file = new RandomAccessFile(systemLog.toFile(), "r")) {
      long length = file.length();
      if (length < offset) offset = 0; // why: the log was rolled over
      if (length == offset) return offset;
      byte[] bytes = new byte[(int) Math.min(length - offset, 4 << 20)];
      file.seek(offset);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      if (end < 0) return offset;
      for (String line : text.substring(0, end).split("\n")) lines.add(line);
      return offset + text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
    } catch (IOException e) {
      return offset;
    }
  }

  private String tail() {
    Deque<String> last = new ArrayDeque<>();
    for (Path file : List.of(systemLog, systemLog.resolveSibling("stdout.log"))) {
      try {
        if (!Files.exists(file)) continue;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        last.add("== " + file);
        lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(last::add);
      } catch (IOException ignored) {
        // show what can be read
      }
    }
    return String.join("\n", last);
  }

  private static Path writeArgFile(Path dir, List<String> entries) throws IOException {
    // why: 99 jar paths exceed a comfortable command line; java reads @argfiles
    Path argFile = dir.resolve("conf").resolve("classpath.args");
    Files.writeString(
        argFile, "-cp \"" + String.join(java.io.File.pathSeparator, entries) + "\"\n");
    return argFile;
  }

  private static List<String> command(Settings s, Path dir, Path argFile, String archiveFlag) {
    List<String> c = new ArrayList<>();
    c.add(Jdk17.javaExecutable().toString());
    c.add(archiveFlag);
    c.add("-Xmx" + s.heap());
    // why: as root, Cassandra's mlockall pins every page committed at start; a small initial heap
    // keeps the node to what it uses (the JVM's default is 1/64 of the machine's memory)
    c.add("-Xms64m");
    c.add("-Xss256k");
    // why: one small node beside other servers; fewest GC threads, smallest footprint
    c.add("-XX:+UseSerialGC");
    // why: C1 only halves start-up on two cores; a dev node is never CPU-bound by its JIT tier
    c.add("-XX:TieredStopAtLevel=1");
    // why: the JVM's counters are sampled every 50 ms by default, 20 wake-ups a second when idle
    c.add("-XX:PerfDataSamplingInterval=1000");
    c.add("-XX:+ExitOnOutOfMemoryError");
    c.addAll(Jdk17.cassandraModuleFlags());
    c.add("-Djava.net.preferIPv4Stack=true");
    c.add("-Dcassandra.config=" + dir.resolve("conf/cassandra.yaml").toUri());
    c.add("-Dcassandra.storagedir=" + dir.resolve("data"));
    c.add("-Dcassandra.logdir=" + dir.resolve("logs"));
    c.add("-Dcassandra.triggers_dir=" + dir.resolve("triggers"));
    c.add("-Dcassandra-foreground=yes");
    c.add("-Dlogback.configurationFile=" + dir.resolve("conf/logback.xml"));
    // why: a one-node ring has nobody to wait for; these cut start-up from ~30 s to a few
    c.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    c.add("-Dcassandra.load_ring_state=false");
    c.add("-Dcassandra.ring_delay_ms=1000");
    c.add("-Dcassandra.memtable.row_overhead_size=180");
    // why: the approximate clock (request timeouts) ticks every 2 ms by default, 500 wake-ups a
    // second that were the idle node's largest cost, and still its largest thread at 50 ms; a
    // fifth of a second is ample for timeouts of seconds
    c.add("-Dcassandra.approximate_time_precision_ms=200");
    c.add("@" + argFile);
    c.add(LAUNCHER);
    return c;
  }

  private static String yaml(Settings s) {
    return """
        cluster_name: sluice
        num_tokens: 1
        initial_token: %s
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        auto_bootstrap: false
        listen_address: %s
        rpc_address: %s
        storage_port: %d
        native_transport_port: %d
        start_native_transport: true
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "%s"
        endpoint_snitch: SimpleSnitch
        # the dynamic snitch re-scores replicas every 100 ms; a local node or ring needs no ranking
        dynamic_snitch: false
        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        concurrent_compactors: 1
        """
        .formatted(
            s.initialToken(),
            s.listenAddress(),
            s.listenAddress(),
            s.storagePort(),
            s.cqlPort(),
            s.seeds().isEmpty()
                ? s.listenAddress() + ":" + s.storagePort()
                : String.join(",", s.seeds()));
  }

  private static String logback() {
    return """
        <configuration scan="false">
          <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
            <file>${cassandra.logdir}/system.log</file>
            <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
              <fileNamePattern>${cassandra.logdir}/system.log.%i.zip</fileNamePattern>
              <minIndex>1</minIndex>
              <maxIndex>5</maxIndex>
            </rollingPolicy>
            <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
              <maxFileSize>50MB</maxFileSize>
            </triggeringPolicy>
            <encoder>
              <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
            </encoder>
          </appender>
          <root level="INFO">
            <appender-ref ref="FILE"/>
          </root>
        </configuration>
        """;
  }

  private static List<String> classpath() {
    try (InputStream in = CassandraNode.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new LocalStackException(
            "resource "
                + CLASSPATH_RESOURCE
                + " is missing; build sluice-cassandra-server (mvn install -pl sluice-cassandra-server)");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return List.of(text.split(java.io.File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The jar or class folder that holds the launcher, found through the classpath resource beside
   * it.
   */
  private static String launcherLocation() {
    URL url = CassandraNode.class.getResource(CLASSPATH_RESOURCE);
    if (url == null)
      throw new LocalStackException("resource " + CLASSPATH_RESOURCE + " is missing");
    String s = url.toString();
    try {
      if (s.startsWith("jar:")) {
        return Path.of(new java.net.URI(s.substring(4, s.indexOf("!/")))).toString();
      }
      Path resource = Path.of(url.toURI());
      return resource.getParent().getParent().getParent().getParent().toString();
    } catch (java.net.URISyntaxException e) {
      throw new LocalStackException("cannot locate the Cassandra launcher from " + s, e);
    }
  }
}
