package io.sluice.cli.spark;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice spark}: bounded runs and cluster submission of the Spark jobs. */
@Command(
    name = "spark",
    mixinStandardHelpOptions = true,
    description = "Run the Spark jobs (users, weather) locally or submit them to a cluster.",
    subcommands = {SparkRunCommand.class, SparkSubmitCommand.class})
public final class SparkCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
