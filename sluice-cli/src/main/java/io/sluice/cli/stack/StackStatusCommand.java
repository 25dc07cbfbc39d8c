package io.sluice.cli.stack;

import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.StackNodes;
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
      "A running multi-node stack adds one line per node (kafka-1, cassandra-2, spark-master, ...).",
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
    SluiceConfig config = SluiceConfig.load();
    List<ServiceStatus> statuses = StackStatus.probe(config);
    List<Map<String, Object>> rows = rows(statuses);
    boolean allUp = statuses.stream().allMatch(ServiceStatus::up);
    for (StackNodes.Node node : StackNodes.read(config.dataDir())) {
      boolean up = StackNodes.isUp(node);
      allUp &= up;
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", node.name());
      row.put("state", up ? "up" : "down");
      row.put("address", node.address());
      row.put("data_dir", "-");
      row.put("version", node.pid() > 0 ? "pid " + node.pid() : "in the stack's process");
      rows.add(row);
    }
    Output.print(output, rows, COLUMNS);
    return allUp ? 0 : 1;
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
