package io.sluice.records;

import io.sluice.ingest.record.RecordFormatException;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.records.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Decodes Kafka values of one record type into its current schema, whichever format each record
 * has: Confluent-framed Avro (resolved from its writer schema, fetched from the registry by id) or
 * readable JSON. A value that is neither, an unknown schema id, or an incompatible writer schema is
 * a {@link RecordFormatException} with the reason (a dead letter); an unreachable registry is a
 * {@link SchemaRegistryException} (a failure to retry, not a bad record). Thread-safe.
 */
public final class RecordReader {
  private final Schema reader;
  private final SchemaRegistry registry;

  /** A reader of {@code type}; {@code registry} may be null when only JSON is expected. */
  public RecordReader(RecordType type, SchemaRegistry registry) {
    this(type.schema(), registry);
  }

  /** A reader into {@code reader}, a record schema. */
  public RecordReader(Schema reader, SchemaRegistry registry) {
    this.reader = reader;
    this.registry = registry;
  }

  /** The record in {@code value}, in the current schema. */
  public GenericRecord read(byte[] value) {
    if (value == null || value.length == 0) throw new RecordFormatException("record has no value");
    if (ConfluentWire.framed(value)) return readAvro(value);
    if (looksLikeJson(value)) return JsonRecords.decode(value, reader);
    throw new RecordFormatException(
        String.format(
            "neither Confluent Avro (magic byte 0 and a schema id) nor JSON: first byte 0x%02x,"
                + " %d bytes",
            value[0] & 0xff, value.length));
  }

  private GenericRecord readAvro(byte[] value) {
    int id = ConfluentWire.schemaId(value);
    if (registry == null)
      throw new SchemaRegistryException(
          "an Avro record (schema id " + id + ") but no schema registry is configured", null);
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) throw e;
      throw new RecordFormatException("unknown schema id " + id + ": " + e.getMessage(), e);
    }
    return ConfluentWire.decode(value, writer, reader);
  }

  /**
   * {@code value} as readable text: a Confluent-framed record decoded with its own writer schema
   * from {@code registry} into {@link JsonRecords}' JSON; anything else as UTF-8.
   */
  public static String toText(byte[] value, SchemaRegistry registry) {
    if (value == null) return "null";
    if (!ConfluentWire.framed(value) || registry == null)
      return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    Schema writer = registry.schemaById(ConfluentWire.schemaId(value));
    return new String(
        JsonRecords.encode(ConfluentWire.decode(value, writer, writer)),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Whether {@code value} starts, after white space, like a JSON object or array. */
  public static boolean looksLikeJson(byte[] value) {
    for (byte b : value) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
      return b == '{' || b == '[';
    }
    return false;
  }
}
