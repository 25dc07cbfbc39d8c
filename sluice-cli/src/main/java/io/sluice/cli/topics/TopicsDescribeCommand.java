package io.sluice.cli.topics;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice topics describe TOPIC}. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description =
        "Show a topic's partitions (leader, replicas, in-sync replicas, end offset) and its configuration.")
public final class TopicsDescribeCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "TOPIC")
  String topic;

  @Option(
      names = "--output",
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE})")
  OutputFormat output;

  @Override
  public void run() {
    SluiceConfig config = SluiceConfig.load();
    try (Admin admin = TopicProvisioner.admin(config)) {
      if (!Kafka.await(config, admin.listTopics().names()).contains(topic))
        throw new CliException("no topic " + topic);
      var d = Kafka.await(config, admin.describeTopics(Set.of(topic)).allTopicNames()).get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      d.partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      var ends = Kafka.await(config, admin.listOffsets(latest).all());
      var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      var topicConfig =
          Kafka.await(config, admin.describeConfigs(Set.of(resource)).all()).get(resource);

      List<Map<String, Object>> rows = new ArrayList<>();
      for (var p : d.partitions()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("partition", p.partition());
        row.put("leader", p.leader() == null ? "none" : p.leader().id());
        row.put("replicas", ids(p.replicas()));
        row.put("isr", ids(p.isr()));
        row.put("end_offset", ends.get(new TopicPartition(topic, p.partition())).offset());
        rows.add(row);
      }
      if (output == OutputFormat.json) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("name", topic);
        all.put("partitions", rows);
        Map<String, String> configs = new LinkedHashMap<>();
        topicConfig.entries().stream()
            .filter(e -> !e.isDefault())
            .forEach(e -> configs.put(e.name(), e.value()));
        all.put("config", configs);
        System.out.println(Output.json(all));
        return;
      }
      System.out.println("topic " + topic);
      Output.print(output, rows, List.of("partition", "leader", "replicas", "isr", "end_offset"));
      topicConfig.entries().stream()
          .filter(e -> !e.isDefault())
          .forEach(e -> System.out.println("  " + e.name() + "=" + e.value()));
    } catch (UnknownTopicOrPartitionException e) {
      throw new CliException("no topic " + topic);
    }
  }

  private static String ids(List<Node> nodes) {
    return String.join(",", nodes.stream().map(n -> Integer.toString(n.id())).toList());
  }
}
