package io.sluice.cli.schemas;

import io.sluice.cli.CliException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice schemas check SUBJECT FILE}. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Check whether an Avro schema (.avsc) may be registered under a subject at its"
            + " compatibility level; exits 1 and names each rule broken when it may not.")
public final class SchemasCheckCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "SUBJECT")
  String subject;

  @Parameters(index = "1", paramLabel = "FILE")
  Path file;

  @Override
  public void run() {
    String schema = SchemasCommand.readSchema(file);
    var level = SchemasCommand.withRegistry(r -> r.level(subject));
    var verdict = SchemasCommand.withRegistry(r -> r.check(subject, schema));
    if (verdict.compatible()) {
      System.out.println(file + " is compatible with " + subject + " (" + level + ")");
      return;
    }
    StringBuilder why =
        new StringBuilder(file + " is incompatible with " + subject + " (" + level + "):");
    verdict.messages().forEach(m -> why.append("\n  ").append(m));
    throw new CliException(why.toString());
  }
}
