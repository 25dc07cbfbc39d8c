package io.sluice.records;

import io.sluice.records.registry.SchemaRegistry;
import org.apache.avro.generic.GenericRecord;

/**
 * Encodes the records a producer publishes on one topic. In {@link RecordFormat#AVRO} the schema is
 * registered (or looked up) under the topic's value subject once, when the writer is made. Records
 * come as a {@link GenericRecord} or, on the hot path, as values in the schema's field order
 * ({@link #encoder()}), written straight to the wire.
 */
public final class RecordWriter {
  private final RecordFormat format;
  private final int schemaId;
  private final RecordEncoder encoder;

  private RecordWriter(RecordFormat format, int schemaId, RecordType type) {
    this.format = format;
    this.schemaId = schemaId;
    this.encoder = RecordEncoder.of(type.schema());
  }

  /** A writer of {@code type}'s current schema to {@code topic} in {@code format}. */
  public static RecordWriter of(
      RecordFormat format, RecordType type, String topic, SchemaRegistry registry) {
    if (format == RecordFormat.JSON) return new RecordWriter(format, -1, type);
    if (registry == null)
      throw new IllegalStateException(
          "topic " + topic + " is Avro but no schema registry is configured");
    return new RecordWriter(
        format, registry.register(SchemaRegistry.valueSubject(topic), type.schema()), type);
  }

  public RecordFormat format() {
    return format;
  }

  /** The registry id of the schema records are written with; -1 for JSON. */
  public int schemaId() {
    return schemaId;
  }

  /** The encoder of the current schema: the positions of its fields and its values arrays. */
  public RecordEncoder encoder() {
    return encoder;
  }

  /** The Kafka value of {@code values}, one per field of the schema ({@link #encoder()}). */
  public byte[] write(Object[] values) {
    return format == RecordFormat.JSON ? encoder.json(values) : encoder.avro(schemaId, values);
  }

  /** The Kafka value of {@code record}. */
  public byte[] write(GenericRecord record) {
    // why: a record of the current schema goes through the encoder, which needs no DatumWriter or
    // JSON tree per record
    if (record.getSchema() == encoder.schema()) {
      Object[] values = new Object[record.getSchema().getFields().size()];
      for (int i = 0; i < values.length; i++) values[i] = record.get(i);
      return write(values);
    }
    return format == RecordFormat.JSON
        ? JsonRecords.encode(record)
        : ConfluentWire.encode(schemaId, record);
  }
}
