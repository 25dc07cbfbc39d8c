package io.sluice.cli.schemas;

import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice schemas list}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description =
        "List subjects with their versions, the latest schema id and compatibility level.")
public final class SchemasListCommand implements Runnable {
  @Option(
      names = "--output",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE})")
  OutputFormat output;

  @Override
  public void run() {
    List<Map<String, Object>> rows =
        SchemasCommand.withRegistry(
            r ->
                r.summaries().stream()
                    .map(
                        s -> {
                          Map<String, Object> row = new LinkedHashMap<>();
                          row.put("subject", s.subject());
                          row.put("versions", s.versions());
                          row.put("latest_id", s.latestId());
                          row.put("compatibility", s.level().name());
                          return row;
                        })
                    .toList());
    Output.print(output, rows, List.of("subject", "versions", "latest_id", "compatibility"));
  }
}
