package io.sluice.records;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * One record of a record type, built field by field by name from its current schema: Sluice has no
 * Java class per record type, so a field added to the {@code .avsc} needs no code. A field not set
 * keeps its default (or null). Java values are taken as Avro's generic ones: an {@link Instant} as
 * its epoch milliseconds, a {@link LocalDate} as its epoch day, a {@link UUID} as its text. Not
 * thread-safe; one builder per record.
 */
public final class RecordBuilder {
  private final Schema schema;
  private final GenericData.Record record;

  private RecordBuilder(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD)
      throw new IllegalArgumentException(schema.getFullName() + " is not a record schema");
    this.schema = schema;
    this.record = new GenericData.Record(schema);
    for (Schema.Field f : schema.getFields())
      if (f.hasDefaultValue()) record.put(f.pos(), GenericData.get().getDefaultValue(f));
  }

  /** A builder of {@code type}'s current schema. */
  public static RecordBuilder of(RecordType type) {
    return new RecordBuilder(type.schema());
  }

  /** A builder of {@code schema}, a record schema. */
  public static RecordBuilder of(Schema schema) {
    return new RecordBuilder(schema);
  }

  /**
   * Sets the field {@code name}.
   *
   * @throws IllegalArgumentException the schema has no such field
   */
  public RecordBuilder set(String name, Object value) {
    Schema.Field f = schema.getField(name);
    if (f == null)
      throw new IllegalArgumentException(schema.getFullName() + " has no field '" + name + "'");
    record.put(f.pos(), avroValue(value));
    return this;
  }

  /** The record, in Avro's generic representation. */
  public GenericRecord build() {
    return new GenericData.Record(record, false);
  }

  /** A Java value as Avro's generic one. */
  static Object avroValue(Object v) {
    if (v instanceof Instant i) return i.toEpochMilli();
    if (v instanceof LocalDate d) return (int) d.toEpochDay();
    if (v instanceof UUID u) return u.toString();
    return v;
  }
}
