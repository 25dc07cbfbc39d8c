package io.sluice.cli.stack;

import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.LocalStackException;
import io.sluice.local.StackNodes;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice stack stop NODE}: stops one node of a running multi-node stack. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = {
      "Stop one node of the running stack at once, as a crash would: kafka-N or cassandra-N"
          + " (`sluice stack status` lists them).",
      "The rest of the cluster keeps running, so the pipelines can be watched surviving it;"
          + " the next start brings the node back with its data."
    })
public final class StackStopCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  @Parameters(paramLabel = "NODE", description = "the node to stop, e.g. kafka-2")
  String node;

  @Override
  public Integer call() {
    try {
      StackNodes.requestStop(SluiceConfig.load().dataDir(), node, TIMEOUT);
    } catch (LocalStackException e) {
      throw new CliException(e.getMessage());
    }
    System.err.println(node + " stopped");
    return 0;
  }
}
