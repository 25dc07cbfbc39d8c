package io.sluice.cli.stack;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sluice stack}: the local servers (Kafka, Cassandra, S3, metadata database, API simulator).
 */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description =
        "Start, inspect and stop the local stack: Kafka, Cassandra, S3, the metadata database and the API simulator.",
    subcommands = {
      StackUpCommand.class,
      StackStatusCommand.class,
      StackStopCommand.class,
      StackDownCommand.class
    })
public final class StackCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
