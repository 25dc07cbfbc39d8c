package io.sluice.cli.topics;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice topics}: list, create, describe, delete, read and write Kafka topics. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "List, create, describe, delete, consume and produce Kafka topics.",
    subcommands = {
      TopicsListCommand.class,
      TopicsCreateCommand.class,
      TopicsDescribeCommand.class,
      TopicsDeleteCommand.class,
      TopicsConsumeCommand.class,
      TopicsProduceCommand.class
    })
public final class TopicsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
