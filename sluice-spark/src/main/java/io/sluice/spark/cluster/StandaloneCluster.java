package io.sluice.spark.cluster;

import io.sluice.spark.launch.JvmFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine: a master and one worker, each a child JVM started
 * from Sluice's Spark jars (no Spark distribution needed). Jobs reach it with {@code sluice spark
 * submit <job> --master <masterUrl>}; the worker runs their executors with the jars of {@link
 * SparkRuntime#home} plus the job jar it fetches from the driver.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster =
 *     StandaloneCluster.start(dir, new StandaloneCluster.Options(7077, 1, "1g"), Duration.ofMinutes(2))) {
 *   Process driver = SparkSubmitProcess.builder(config, cluster.masterUrl(), jar, "users", ...).start();
 * }
 * }</pre>
 *
 * Master and worker write their logs to {@code master.log} and {@code worker.log} in {@code dir};
 * executors keep theirs under {@code work/<app-id>/<executor-id>/}.
 */
public final class StandaloneCluster implements AutoCloseable {
  static final String MASTER_CLASS = "org.apache.spark.deploy.master.Master";
  static final String WORKER_CLASS = "org.apache.spark.deploy.worker.Worker";
  private static final String MASTER_READY = "I have been elected leader";
  private static final String WORKER_READY = "Successfully registered with master";
  private static final String HOST = "127.0.0.1";

  /**
   * @param masterPort the master's port; 0 picks 7077 when it is free, else any free port
   * @param workerCores cores the worker offers to executors
   * @param workerMemory memory the worker offers to executors (e.g. 1g)
   */
  public record Options(int masterPort, int workerCores, String workerMemory) {
    public static Options defaults() {
      return new Options(0, 1, "1g");
    }
  }

  private final Path dir;
  private final String masterUrl;
  private final String webUiUrl;
  private final List<Process> processes;

  private StandaloneCluster(Path dir, String masterUrl, String webUiUrl, List<Process> processes) {
    this.dir = dir;
    this.masterUrl = masterUrl;
    this.webUiUrl = webUiUrl;
    this.processes = processes;
  }

  /**
   * Starts the master, then the worker, and returns once the worker has registered; stops both and
   * throws, with the end of their logs, when that does not happen within {@code timeout}.
   */
  public static StandaloneCluster start(Path dir, Options options, Duration timeout) {
    Path root = dir.toAbsolutePath();
    long deadline = System.nanoTime() + timeout.toNanos();
    int port = options.masterPort() > 0 ? options.masterPort() : preferredPort(7077);
    String masterUrl = "spark://" + HOST + ":" + port;
    int uiPort = preferredPort(8090);
    Path home = SparkRuntime.home(root.resolve("spark-home"));
    Path argFile = SparkRuntime.classpathArgFile(root.resolve("classpath.args"));
    List<Process> processes = new ArrayList<>();
    StandaloneCluster cluster =
        new StandaloneCluster(root, masterUrl, "http://" + HOST + ":" + uiPort, processes);
    try {
      processes.add(
          launch(
              root,
              home,
              argFile,
              "master",
              List.of(MASTER_CLASS, "--host", HOST, "--port", Integer.toString(port)),
              List.of("--webui-port", Integer.toString(uiPort))));
      await(root.resolve("master.log"), MASTER_READY, processes.get(0), deadline);
      Path work = root.resolve("work");
      Files.createDirectories(work);
      processes.add(
          launch(
              root,
              home,
              argFile,
              "worker",
              List.of(
                  WORKER_CLASS,
                  "--host",
                  HOST,
                  "--cores",
                  Integer.toString(options.workerCores()),
                  "--memory",
                  options.workerMemory(),
                  "--work-dir",
                  work.toString()),
              List.of("--webui-port", "0", masterUrl)));
      await(root.resolve("worker.log"), WORKER_READY, processes.get(1), deadline);
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The master's URL, {@code spark://127.0.0.1:<port>}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** The master's web UI, {@code http://127.0.0.1:8090} when that port is free. */
  public String webUiUrl() {
    return webUiUrl;
  }

  /** The worker's directory: one sub-directory per application, with its executors' files. */
  public Path workDir() {
    return dir.resolve("work");
  }

  public Path masterLog() {
    return dir.resolve("master.log");
  }

  public Path workerLog() {
    return dir.resolve("worker.log");
  }

  /** The pids of the master and the worker. */
  public List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  /** Stops the worker (and with it its executors), then the master. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      ProcessHandle handle = processes.get(i).toHandle();
      List<ProcessHandle> children = handle.descendants().toList();
      handle.destroy();
      try {
        handle.onExit().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
      // why: an executor the worker could not stop in time must not outlive the cluster
      children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static Process launch(
      Path dir, Path home, Path argFile, String name, List<String> main, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SparkRuntime.javaExecutable());
    command.add("-Xmx256m");
    command.addAll(JvmFlags.SPARK_MODULE_OPTIONS);
    command.add("@" + argFile);
    command.addAll(main);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_LOCAL_IP", HOST);
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
    return pb.start();
  }

  private static void await(Path log, String line, Process process, long deadline) {
    while (true) {
      String text = read(log);
      if (text.contains(line)) return;
      if (!process.isAlive())
        throw new IllegalStateException(
            log.getFileName() + " exited with code " + process.exitValue() + ":\n" + tail(text));
      if (System.nanoTime() > deadline)
        throw new IllegalStateException(
            "no '" + line + "' in " + log + " in time; its end:\n" + tail(text));
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the Spark cluster", e);
      }
    }
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
  }

  private static int preferredPort(int preferred) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(HOST), preferred));
      return preferred;
    } catch (IOException busy) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
