package io.sluice.cli;

import io.sluice.core.config.SluiceConfig;
import io.sluice.local.StackEndpoints;
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
    description = {
      "Print the effective configuration, with secrets masked and the origin of each value.",
      "When a local stack runs from the data directory, its endpoints (run/endpoints.json) apply"
          + " wherever no value is set; the REST sources (RANDOMUSER_URL, BASE_URL) then point at"
          + " its API simulators, and the public APIs are used only when no stack runs."
    })
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
      row.put("origin", origin(config, v));
      rows.add(row);
    }
    Output.print(output, rows, List.of("key", "env", "value", "origin"));
  }

  /** The origin, saying for a REST source left at its default why the public API is in force. */
  private static String origin(SluiceConfig config, SluiceConfig.Value v) {
    if (!StackEndpoints.SOURCES.contains(v.key()) || !v.origin().equals("default"))
      return v.origin();
    return "default: the public API, since no local stack runs from " + config.dataDir();
  }
}
