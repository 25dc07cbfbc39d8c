package io.sluice.cli.topics;

import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.records.registry.HttpSchemaRegistry;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;

/**
 * What the topic commands share: Admin results turned into one-line CLI errors that name the
 * broker, the check that a topic exists, and the schema registry Avro values go through.
 */
final class Kafka {
  private Kafka() {}

  /**
   * The schema registry of {@code config} (the local stack's when none is set). It is asked only
   * when an Avro value is read or written, so JSON topics work without one.
   */
  static SchemaRegistry registry(SluiceConfig config) {
    return HttpSchemaRegistry.of(SchemaRegistrySettings.url(config));
  }

  /**
   * Fails with an error naming the first of {@code topics} the cluster does not have. Commands
   * check before reading or writing, so that a typo never creates a topic.
   */
  static void requireTopics(SluiceConfig config, Admin admin, Collection<String> topics) {
    Set<String> existing = await(config, admin.listTopics().names());
    for (String t : topics)
      if (!existing.contains(t))
        throw new CliException(
            "no topic " + t + " (create it with `sluice topics create " + t + "`)");
  }

  static <T> T await(SluiceConfig config, KafkaFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new CliException(
          "Kafka at "
              + KafkaSettings.bootstrap(config)
              + " did not answer within 30 s (is it running? try `sluice stack status`)");
    } catch (ExecutionException e) {
      throw new CliException(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
