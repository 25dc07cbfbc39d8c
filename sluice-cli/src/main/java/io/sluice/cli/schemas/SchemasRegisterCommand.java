package io.sluice.cli.schemas;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice schemas register SUBJECT FILE}. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description =
        "Register an Avro schema (.avsc) under a subject; refused when the subject's compatibility"
            + " level forbids it.")
public final class SchemasRegisterCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "SUBJECT")
  String subject;

  @Parameters(index = "1", paramLabel = "FILE")
  Path file;

  @Override
  public void run() {
    String schema = SchemasCommand.readSchema(file);
    var registered =
        SchemasCommand.withRegistry(
            r -> {
              r.register(subject, schema);
              return r.version(subject, "latest");
            });
    System.out.println(
        "registered " + subject + " version " + registered.version() + ", id " + registered.id());
  }
}
