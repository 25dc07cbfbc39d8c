package io.sluice.cli.schemas;

import io.sluice.schemaregistry.CompatibilityLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice schemas config [SUBJECT] [--level L]}. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Show or set the compatibility level of a subject, or of the registry without SUBJECT.")
public final class SchemasConfigCommand implements Runnable {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SUBJECT")
  String subject;

  @Option(
      names = "--level",
      description =
          "set the level: NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL"
              + " or FULL_TRANSITIVE")
  String level;

  @Override
  public void run() {
    String what = subject == null ? "registry" : subject;
    if (level == null) {
      System.out.println(what + ": " + SchemasCommand.withRegistry(r -> r.level(subject)));
      return;
    }
    CompatibilityLevel parsed;
    try {
      parsed = CompatibilityLevel.parse(level);
    } catch (IllegalArgumentException e) {
      throw new io.sluice.cli.CliException(e.getMessage());
    }
    System.out.println(what + ": " + SchemasCommand.withRegistry(r -> r.setLevel(subject, parsed)));
  }
}
