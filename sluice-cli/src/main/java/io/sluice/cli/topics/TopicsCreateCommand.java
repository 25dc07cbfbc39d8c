package io.sluice.cli.topics;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice topics create [TOPIC...]}. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create topics with the configured partitions, replication factor, min.insync.replicas,",
      "compression and retention. Without names: every topic Sluice uses (users, weather, DLQ, progress).",
      "Existing topics are left unchanged."
    })
public final class TopicsCreateCommand implements Runnable {
  @Parameters(arity = "0..*", paramLabel = "TOPIC", description = "Topics to create.")
  List<String> names = List.of();

  @Option(names = "--partitions", description = "Partitions (default: topics.partitions).")
  Integer partitions;

  @Option(
      names = "--replication-factor",
      description = "Replication factor (default: topics.replication-factor).")
  Integer replicationFactor;

  @Override
  public void run() {
    SluiceConfig config = SluiceConfig.load();
    if (partitions != null)
      config = config.with(Settings.TOPIC_PARTITIONS, partitions.toString(), "--partitions");
    if (replicationFactor != null)
      config =
          config.with(
              Settings.TOPIC_REPLICATION, replicationFactor.toString(), "--replication-factor");
    final SluiceConfig c = config;
    List<NewTopic> topics =
        names.isEmpty()
            ? TopicProvisioner.topics(c)
            : names.stream().map(n -> TopicProvisioner.dataTopic(c, n)).toList();
    try (Admin admin = TopicProvisioner.admin(c)) {
      Kafka.await(c, admin.listTopics().names());
      List<String> created = TopicProvisioner.ensure(admin, topics);
      for (NewTopic t : topics)
        System.out.println((created.contains(t.name()) ? "created  " : "exists   ") + t.name());
    } catch (IllegalStateException e) {
      throw new io.sluice.cli.CliException(e.getMessage());
    }
  }
}
