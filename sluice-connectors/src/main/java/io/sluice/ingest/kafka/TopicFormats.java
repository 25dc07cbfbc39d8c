package io.sluice.ingest.kafka;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.records.RecordFormat;
import io.sluice.records.RecordSettings;
import io.sluice.records.RecordType;
import io.sluice.records.RecordWriter;
import io.sluice.records.registry.HttpSchemaRegistry;
import io.sluice.records.registry.SchemaRegistry;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an ingest writes a topic: Avro in Confluent's wire format through the configured registry
 * ({@code schema-registry.url}), or JSON where {@code topics.format} or the task says {@code json}.
 */
public final class TopicFormats {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFormats.class);

  private TopicFormats() {}

  /** The configured registry, if any. */
  public static Optional<SchemaRegistry> registry(SluiceConfig config) {
    return config
        .find(Settings.SCHEMA_REGISTRY_URL)
        .filter(url -> !url.isBlank())
        .map(url -> HttpSchemaRegistry.of(url.trim()));
  }

  /**
   * The writer of {@code type} to {@code topic}: in {@code format}, or the configured one when it
   * is null. Avro registers the schema under {@code <topic>-value} (once per process).
   */
  public static RecordWriter writer(
      SluiceConfig config, RecordFormat format, RecordType type, String topic) {
    // why: the schemas are loaded once per JVM; a directory set in sluice.yaml (not the
    // environment) reaches them only through the system property
    config
        .find(RecordSettings.SCHEMAS_DIR)
        .ifPresent(d -> System.getProperties().putIfAbsent(RecordType.DIR_PROPERTY, d.toString()));
    RecordFormat f =
        format != null ? format : RecordFormat.parse(config.get(RecordSettings.TOPIC_FORMAT));
    Optional<SchemaRegistry> registry = registry(config);
    if (f == RecordFormat.AVRO && registry.isEmpty()) {
      LOG.warn("no schema registry configured (schema-registry.url): {} is written as JSON", topic);
      f = RecordFormat.JSON;
    }
    return RecordWriter.of(f, type, topic, registry.orElse(null));
  }
}
