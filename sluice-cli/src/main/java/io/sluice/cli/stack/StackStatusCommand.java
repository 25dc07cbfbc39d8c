package io.sluice.cli.stack;

import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.StackStatus;
import io.sluice.local.StackStatus.ServiceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice stack status}: one line per service; exits 1 when any is down. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show whether each service of the stack answers: name, state (up/down), address, data directory, version.",
      "Services configured to external servers (SLUICE_KAFKA_BOOTSTRAP, ...) are checked at that address.",
      "Exits with 1 when any service is down."
    })
public final class StackStatusCommand implements Callable<Integer> {
  static final List<String> COLUMNS = List.of("name", "state", "address", "data_dir", "version");

  @Option(
      names = "--output",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE})")
  OutputFormat output;

  @Override
  public Integer call() {
    List<ServiceStatus> statuses = StackStatus.probe(SluiceConfig.load());
    Output.print(output, rows(statuses), COLUMNS);
    return statuses.stream().allMatch(ServiceStatus::up) ? 0 : 1;
  }

  static List<Map<String, Object>> rows(List<ServiceStatus> statuses) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ServiceStatus s : statuses) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", s.service().statusName());
      row.put("state", s.state());
      row.put("address", s.address());
      row.put(
          "data_dir",
          s.dataDir() == null ? (s.external() ? "(external)" : "-") : s.dataDir().toString());
      row.put("version", s.version());
      rows.add(row);
    }
    return rows;
  }
}
