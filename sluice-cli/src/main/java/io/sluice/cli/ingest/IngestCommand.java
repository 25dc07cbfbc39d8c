package io.sluice.cli.ingest;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice ingest}: REST sources to Kafka, exactly once. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Fetch from the REST sources (Random User, Open-Meteo) and publish to Kafka, in transactions of whole pages.",
    subcommands = {IngestUsersCommand.class, IngestWeatherCommand.class})
public final class IngestCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
