package io.sluice.cli.meta;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.secrets.Masking;
import io.sluice.core.service.ImportResult;
import io.sluice.core.service.VariableService;
import io.sluice.web.auth.Audit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice variables set | get | list | delete}, as Airflow's Variables. */
@Command(
    name = "variables",
    mixinStandardHelpOptions = true,
    description =
        "Manage Variables (key/value settings tasks read, such as latitudes and longitudes).",
    subcommands = {
      VariablesCommand.Set.class,
      VariablesCommand.Get.class,
      VariablesCommand.ListVariables.class,
      VariablesCommand.Delete.class,
      VariablesCommand.Import.class,
      VariablesCommand.Export.class
    })
public final class VariablesCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException(
        "choose a sub-command: set, get, list, delete, import or export (see --help)", 2);
  }

  /** {@code sluice variables set KEY VALUE}. */
  @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a Variable.")
  static final class Set implements Runnable {
    @Parameters(index = "0")
    String key;

    @Parameters(index = "1")
    String value;

    @Option(names = "--description")
    String description;

    @Override
    public void run() {
      try (MetadataAccess meta = MetadataAccess.open()) {
        meta.store.inTransaction(
            tx -> {
              tx.setVariable(key, value, description);
              return null;
            });
      }
      Audit.command("variables set", key);
      System.out.println("variable " + key + " set");
    }
  }

  /** {@code sluice variables get KEY}: prints the value alone, for scripts. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a Variable's value.")
  static final class Get implements Runnable {
    @Parameters(index = "0")
    String key;

    @Override
    public void run() {
      try (MetadataAccess meta = MetadataAccess.open()) {
        System.out.println(
            meta.store
                .inTransaction(tx -> tx.variable(key))
                .orElseThrow(() -> new CliException("no variable '" + key + "'")));
      }
    }
  }

  /** {@code sluice variables list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List Variables.")
  static final class ListVariables implements Runnable {
    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      try (MetadataAccess meta = MetadataAccess.open()) {
        meta.store
            .inTransaction(tx -> tx.variables())
            .forEach(
                (k, v) -> {
                  var row = new LinkedHashMap<String, Object>();
                  row.put("key", k);
                  row.put("val", Masking.value(k, v));
                  rows.add(row);
                });
      }
      Output.print(output, rows, List.of("key", "val"));
    }
  }

  /** {@code sluice variables delete KEY}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a Variable.")
  static final class Delete implements Runnable {
    @Parameters(index = "0")
    String key;

    @Override
    public void run() {
      try (MetadataAccess meta = MetadataAccess.open()) {
        if (!meta.store.inTransaction(tx -> tx.deleteVariable(key)))
          throw new CliException("no variable '" + key + "'");
      }
      Audit.command("variables delete", key);
      System.out.println("variable " + key + " deleted");
    }
  }

  /** {@code sluice variables import FILE}, Airflow's JSON. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Set Variables from a JSON file: {\"key\": value, ...}, as Airflow's export writes it.",
        "A string value is stored as it is, any other JSON value as its JSON;"
            + " {\"value\": v, \"description\": d} sets the description too."
      })
  static final class Import implements Runnable {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(
        names = {"-a", "--action-on-existing-key"},
        defaultValue = "overwrite",
        description = "overwrite (default), skip, or fail: what to do when a key exists already.")
    VariableService.OnExisting action;

    @Override
    public void run() {
      String json = ExportFile.read(file, "variables");
      ImportResult r;
      try (MetadataAccess meta = MetadataAccess.open()) {
        r = new VariableService(meta.store).importJson(json, action);
      }
      Audit.command("variables import", String.join(",", r.imported()));
      System.out.println(
          r.imported().size() + " of " + r.total() + " variables successfully updated.");
      if (!r.skipped().isEmpty())
        System.out.println(
            "The variables with these keys: " + r.skipped() + " were skipped because they exist.");
    }
  }

  /** {@code sluice variables export FILE}, Airflow's JSON. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write every Variable to a JSON file: {\"key\": value, ...}, as Airflow's.",
        "Values are the real ones, secrets included: the file is readable by its owner only."
      })
  static final class Export implements Runnable {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Override
    public void run() {
      try (MetadataAccess meta = MetadataAccess.open()) {
        VariableService vars = new VariableService(meta.store);
        ExportFile.write(file, vars.exportJson(), "variables");
        System.out.println(vars.count() + " variables successfully exported to " + file);
      }
    }
  }
}
