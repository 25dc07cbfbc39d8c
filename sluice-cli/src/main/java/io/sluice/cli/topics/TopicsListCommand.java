package io.sluice.cli.topics;

import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice topics list}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List topics with their partitions and replication factor.")
public final class TopicsListCommand implements Runnable {
  @Option(names = "--internal", description = "Include Kafka's internal topics.")
  boolean internal;

  @Option(
      names = "--output",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE})")
  OutputFormat output;

  @Override
  public void run() {
    SluiceConfig config = SluiceConfig.load();
    try (Admin admin = TopicProvisioner.admin(config)) {
      var names =
          new TreeSet<>(
              Kafka.await(
                  config,
                  admin.listTopics(new ListTopicsOptions().listInternal(internal)).names()));
      var descriptions = Kafka.await(config, admin.describeTopics(names).allTopicNames());
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String name : names) {
        var d = descriptions.get(name);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("partitions", d.partitions().size());
        row.put(
            "replication_factor",
            d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size());
        rows.add(row);
      }
      Output.print(output, rows, List.of("name", "partitions", "replication_factor"));
    }
  }
}
