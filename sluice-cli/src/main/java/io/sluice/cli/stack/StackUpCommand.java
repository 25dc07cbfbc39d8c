package io.sluice.cli.stack;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.cli.SluiceCommand;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.PidFile;
import io.sluice.local.Service;
import io.sluice.local.StackListener;
import io.sluice.local.StackStatus;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice stack up}: starts every server of the local stack and keeps them running until
 * Ctrl-C; with {@code --detach}, in a background process that outlives the command.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start the local stack: Kafka, Cassandra, S3, the metadata database and the API simulator.",
      "Prints each service's address when it is ready. Ctrl-C stops everything; the data under"
          + " SLUICE_DATA_DIR (default: ./data) is kept for the next start."
    })
public final class StackUpCommand implements Callable<Integer>, io.sluice.cli.RunningStack.Owner {
  /** The line a stack prints when every service is ready; a detaching parent waits for it. */
  static final String READY_LINE = "sluice stack is up";

  private static final Duration DETACH_TIMEOUT = Duration.ofMinutes(5);

  @Option(
      names = {"-d", "--detach"},
      description =
          "Run the stack in the background (log: <data dir>/logs/stack.log); return once every service is ready.")
  boolean detach;

  @Mixin TopologyOptions topology;

  @Override
  public Integer call() throws Exception {
    SluiceConfig config = topology.apply(SluiceConfig.load());
    Path dataDir = config.dataDir();
    PidFile pidFile = PidFile.stack(dataDir);
    pidFile
        .liveProcess()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .filter(StackDownCommand::isStackProcess)
        .ifPresent(
            p -> {
              throw new CliException(
                  "a stack is already running on "
                      + dataDir
                      + " (pid "
                      + p.pid()
                      + "); `sluice stack status` shows it, `sluice stack down` stops it");
            });
    return detach ? detach(config, dataDir) : runInForeground(config, dataDir, pidFile);
  }

  private int runInForeground(SluiceConfig config, Path dataDir, PidFile pidFile)
      throws InterruptedException {
    long pid = ProcessHandle.current().pid();
    pidFile.write(pid);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> pidFile.deleteIfOwnedBy(pid), "sluice-stack-pid"));
    long began = System.nanoTime();
    PrintStream err = System.err;
    err.println("starting the local stack in " + dataDir + " ...");
    TopologyStack stack;
    try {
      stack = TopologyStack.start(config, new ProgressPrinter(err, began), err);
    } catch (CliException e) {
      pidFile.deleteIfOwnedBy(pid);
      throw e;
    }
    err.printf(
        "%s after %.1f s; Ctrl-C or `sluice stack down` stops it%n",
        READY_LINE, (System.nanoTime() - began) / 1e9);
    err.flush();
    // why: the stack's own shutdown hook stops the servers on Ctrl-C or SIGTERM; this thread only
    // waits
    new CountDownLatch(1).await();
    stack.close();
    return 0;
  }

  private int detach(SluiceConfig config, Path dataDir) throws IOException, InterruptedException {
    Path log = dataDir.resolve("logs").resolve("stack.log");
    Files.createDirectories(log.getParent());
    long offset = Files.exists(log) ? Files.size(log) : 0;
    ProcessBuilder pb = new ProcessBuilder(backgroundCommand(topology.args()));
    pb.environment().put("SLUICE_DATA_DIR", dataDir.toString());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process child = pb.start();
    System.err.println(
        "starting the local stack in the background (pid "
            + child.pid()
            + ", log "
            + log
            + ") ...");

    long deadline = System.nanoTime() + DETACH_TIMEOUT.toNanos();
    while (true) {
      List<String> lines = new ArrayList<>();
      offset = readLines(log, offset, lines);
      for (String line : lines) {
        System.err.println("  " + line);
        if (line.startsWith(READY_LINE)) {
          printAddresses(config);
          return 0;
        }
      }
      if (!child.isAlive()) {
        throw new CliException(
            "the background stack exited with code "
                + child.exitValue()
                + " while starting; see "
                + log);
      }
      if (System.nanoTime() > deadline) {
        throw new CliException(
            "the background stack (pid "
                + child.pid()
                + ") was not ready after "
                + DETACH_TIMEOUT.toMinutes()
                + " minutes; see "
                + log
                + " or stop it with `sluice stack down`");
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private static void printAddresses(SluiceConfig config) {
    Output.print(
        OutputFormat.table,
        StackStatusCommand.rows(StackStatus.probe(config)),
        StackStatusCommand.COLUMNS);
  }

  /**
   * This same JVM and classpath, running {@code sluice stack up} in a new session (immune to the
   * terminal's hang-up).
   */
  private static List<String> backgroundCommand(List<String> topologyArgs) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) command.add("/usr/bin/setsid");
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SluiceCommand.class.getName());
    command.add("stack");
    command.add("up");
    command.addAll(topologyArgs);
    return command;
  }

  private static long readLines(Path file, long offset, List<String> lines) {
    if (!Files.exists(file)) return offset;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long length = f.length();
      if (length <= offset) return offset;
      byte[] bytes = new byte[(int) (length - offset)];
      f.seek(offset);
      f.readFully(bytes);
      int end = lastNewline(bytes);
      if (end < 0) return offset;
      String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) lines.add(line);
      return offset + end + 1;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static int lastNewline(byte[] bytes) {
    for (int i = bytes.length - 1; i >= 0; i--) if (bytes[i] == '\n') return i;
    return -1;
  }

  /** Prints start-up phases and ready services to stderr, with the time since the start. */
  /** Prints one line per service as it becomes ready. */
  public static final class ProgressPrinter implements StackListener {
    private final PrintStream out;
    private final long began;

    public ProgressPrinter(PrintStream out, long began) {
      this.out = out;
      this.began = began;
    }

    @Override
    public synchronized void progress(Service service, String message) {
      out.printf("%6.1fs  %-13s %s%n", elapsed(), service.statusName(), message);
      out.flush();
    }

    @Override
    public synchronized void ready(Service service, String address, Duration took) {
      out.printf("%6.1fs  %-13s ready at %s%n", elapsed(), service.statusName(), address);
      out.flush();
    }

    private double elapsed() {
      return (System.nanoTime() - began) / 1e9;
    }
  }
}
