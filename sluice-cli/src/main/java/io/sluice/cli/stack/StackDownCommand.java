package io.sluice.cli.stack;

import io.sluice.core.config.SluiceConfig;
import io.sluice.local.PidFile;
import io.sluice.local.cassandra.CassandraNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice stack down}: stops the stack found through the pid files under the data directory.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Stop the local stack running on the data directory (SLUICE_DATA_DIR, default: data).",
      "Asks it to stop (each server flushes and closes), then kills what is left after the"
          + " timeout."
    })
public final class StackDownCommand implements Callable<Integer> {
  @Option(
      names = "--timeout",
      defaultValue = "60",
      description = "Seconds to wait for a clean stop before killing (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Override
  public Integer call() {
    Path dataDir = SluiceConfig.load().dataDir();
    PidFile stackPid = PidFile.stack(dataDir);
    PidFile cassandraPid = PidFile.cassandra(dataDir);
    boolean found = false;

    Optional<ProcessHandle> stack = stackPid.liveProcess().filter(StackDownCommand::isStackProcess);
    if (stack.isPresent()) {
      found = true;
      ProcessHandle p = stack.get();
      System.err.println("stopping the stack (pid " + p.pid() + ") ...");
      long began = System.nanoTime();
      boolean clean = stop(p, Duration.ofSeconds(timeoutSeconds));
      System.err.printf(
          "stack %s after %.1f s%n",
          clean ? "stopped" : "killed", (System.nanoTime() - began) / 1e9);
    }
    // why: a Cassandra node outlives a stack that was killed before its child noticed
    Optional<ProcessHandle> cassandra =
        cassandraPid.liveProcess().filter(CassandraNode::isCassandraNode);
    if (cassandra.isPresent()) {
      found = true;
      System.err.println("stopping the Cassandra node (pid " + cassandra.get().pid() + ") ...");
      boolean clean = CassandraNode.stop(cassandra.get(), Duration.ofSeconds(timeoutSeconds));
      System.err.println("cassandra " + (clean ? "stopped" : "killed"));
    }
    stackPid.delete();
    cassandraPid.delete();
    if (!found) System.err.println("no stack is running on " + dataDir);
    return 0;
  }

  static boolean isStackProcess(ProcessHandle handle) {
    return handle
        .info()
        .commandLine()
        .map(c -> c.contains("sluice") && c.contains("stack"))
        .orElse(false);
  }

  private static boolean stop(ProcessHandle p, Duration grace) {
    p.destroy();
    try {
      p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      p.destroyForcibly();
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // nothing more to do
      }
      return false;
    }
  }
}
