package io.sluice.cli.schemas;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice schemas delete SUBJECT [--permanent]}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description =
        "Soft-delete a subject's versions; with --permanent, remove a soft-deleted subject for good.")
public final class SchemasDeleteCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "SUBJECT")
  String subject;

  @Option(names = "--permanent", description = "remove the soft-deleted versions for good")
  boolean permanent;

  @Override
  public void run() {
    var versions = SchemasCommand.withRegistry(r -> r.deleteSubject(subject, permanent));
    System.out.println(
        (permanent ? "permanently deleted " : "soft-deleted ")
            + subject
            + " versions "
            + versions
            + (permanent ? "" : " (--permanent removes them for good)"));
  }
}
