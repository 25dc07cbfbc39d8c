package io.sluice.cli.schemas;

import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import io.sluice.schemaregistry.client.SchemaRegistryClient;
import io.sluice.schemaregistry.client.SchemaRegistryClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sluice schemas}: the schema registry's subjects, versions and compatibility levels. */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    description =
        "Schemas in the schema registry (the local stack's, or SLUICE_SCHEMA_REGISTRY_URL's):"
            + " list, get, register, check, config and delete.",
    subcommands = {
      SchemasListCommand.class,
      SchemasGetCommand.class,
      SchemasRegisterCommand.class,
      SchemasCheckCommand.class,
      SchemasConfigCommand.class,
      SchemasDeleteCommand.class
    })
public final class SchemasCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs {@code call} against the configured registry; a refusal becomes a one-line error. */
  static <T> T withRegistry(Function<SchemaRegistryClient, T> call) {
    SchemaRegistryClient client =
        new SchemaRegistryClient(SchemaRegistrySettings.url(SluiceConfig.load()));
    try {
      return call.apply(client);
    } catch (SchemaRegistryClientException e) {
      String code = e.errorCode() == 0 ? "" : " (error " + e.errorCode() + ")";
      throw new CliException("schema registry " + client.baseUrl() + ": " + e.getMessage() + code);
    }
  }

  /** The text of an {@code .avsc} file. */
  static String readSchema(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
