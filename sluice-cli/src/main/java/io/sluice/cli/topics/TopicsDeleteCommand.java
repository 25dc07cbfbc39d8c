package io.sluice.cli.topics;

import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice topics delete TOPIC...}. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Delete topics and their records. A missing topic is an error; none is deleted.")
public final class TopicsDeleteCommand implements Runnable {
  @Parameters(arity = "1..*", paramLabel = "TOPIC", description = "Topics to delete.")
  List<String> names;

  @Override
  public void run() {
    SluiceConfig config = SluiceConfig.load();
    try (Admin admin = TopicProvisioner.admin(config)) {
      Kafka.requireTopics(config, admin, names);
      Kafka.await(config, admin.deleteTopics(names).all());
      for (String t : names) System.out.println("deleted  " + t);
    }
  }
}
