package io.sluice.cli;

import io.sluice.core.config.SluiceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice config}: the effective configuration, secrets masked, with the origin of each
 * value.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Print the effective configuration, with secrets masked and the origin of each value.")
public final class ConfigCommand implements Runnable {
  @Option(
      names = "--output",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE})")
  OutputFormat output;

  @Override
  public void run() {
    SluiceConfig config = SluiceConfig.load();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (var v : config.describe()) {
      var row = new LinkedHashMap<String, Object>();
      row.put("key", v.key().name());
      row.put("env", v.key().env());
      row.put("value", v.display());
      row.put("origin", v.origin());
      rows.add(row);
    }
    Output.print(output, rows, List.of("key", "env", "value", "origin"));
  }
}
