package io.sluice.cli.schemas;

import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice schemas get SUBJECT [--version V]}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Print a version of a subject's schema (the latest by default).")
public final class SchemasGetCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "SUBJECT")
  String subject;

  @Option(names = "--version", defaultValue = "latest", description = "a version number or latest")
  String version;

  @Option(
      names = "--output",
      defaultValue = "table",
      description = "table (the schema, pretty-printed) or json (default: ${DEFAULT-VALUE})")
  OutputFormat output;

  @Override
  public void run() {
    var v = SchemasCommand.withRegistry(r -> r.version(subject, version));
    if (output == OutputFormat.json) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("subject", v.subject());
      row.put("version", v.version());
      row.put("id", v.id());
      row.put("schema", v.schema());
      System.out.println(Output.json(row));
      return;
    }
    System.out.println("# " + v.subject() + " version " + v.version() + ", id " + v.id());
    System.out.println(new Schema.Parser().parse(v.schema()).toString(true));
  }
}
