package io.sluice.records.registry;

import org.apache.avro.Schema;

/**
 * The two questions Sluice asks a schema registry, in Confluent's terms. Implementations are
 * thread-safe and cache answers (a schema id never changes meaning), so callers may ask per record.
 * Methods block on the network on a cache miss and throw {@link SchemaRegistryException} on an
 * error answer.
 */
public interface SchemaRegistry {
  /**
   * The id of {@code schema} under {@code subject}: registered if new ({@code POST
   * /subjects/{subject}/versions}), looked up if not; refused (409) when incompatible.
   */
  int register(String subject, Schema schema);

  /** The schema with {@code id} ({@code GET /schemas/ids/{id}}); 40403 when there is none. */
  Schema schemaById(int id);

  /** The subject of a topic's values under {@code TopicNameStrategy}: {@code <topic>-value}. */
  static String valueSubject(String topic) {
    return topic + "-value";
  }
}
