package io.sluice.records.registry;

import org.apache.avro.Schema;

/**
 * The questions Sluice asks a schema registry, in Confluent's terms. Implementations are
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

  /**
   * The newest schema under {@code subject} ({@code GET /subjects/{subject}/versions/latest}),
   * asked anew each time since a new version may have come; 40401 when the subject has none.
   */
  Latest latest(String subject);

  /** A subject's newest schema, with its global id and its version under the subject. */
  record Latest(int id, int version, Schema schema) {}

  /** The subject of a topic's values under {@code TopicNameStrategy}: {@code <topic>-value}. */
  static String valueSubject(String topic) {
    return topic + "-value";
  }
}
