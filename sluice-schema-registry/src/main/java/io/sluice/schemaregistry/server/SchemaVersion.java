package io.sluice.schemaregistry.server;

/**
 * One version of a subject: its number, the schema's registry-wide id and its text (Avro's
 * canonical JSON rendering), and whether it was soft-deleted.
 */
public record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) {
  SchemaVersion withDeleted(boolean d) {
    return new SchemaVersion(subject, version, id, schema, d);
  }
}
