package io.sluice.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes one record schema's values straight to the wire, in the schema's field order: Confluent
 * framed Avro binary, or the JSON of {@link JsonRecords}, byte for byte what encoding the same
 * values as a {@code GenericRecord} gives. Values are indexed by field position ({@link
 * #position}); a field holds its Java value ({@code String}, {@code Integer}, {@code Long}, {@code
 * Double}, {@code Boolean}, {@link Instant} for a timestamp, {@link LocalDate} for a date) or
 * Avro's generic one. Derived from the schema once; thread-safe.
 */
public final class RecordEncoder {
  // why: a mapper's factory, so that map and record fields can be written as trees
  private static final JsonFactory JSON = new ObjectMapper().getFactory();
  private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

  private final Schema schema;
  private final Field[] fields;

  private RecordEncoder(Schema schema) {
    this.schema = schema;
    List<Schema.Field> list = schema.getFields();
    this.fields = new Field[list.size()];
    for (Schema.Field f : list) fields[f.pos()] = new Field(f);
  }

  /** The encoder of {@code schema}, a record schema. */
  public static RecordEncoder of(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD)
      throw new IllegalArgumentException(schema.getFullName() + " is not a record schema");
    return new RecordEncoder(schema);
  }

  public Schema schema() {
    return schema;
  }

  /** The position of the field {@code name}, or -1 when the schema has no such field. */
  public int position(String name) {
    Schema.Field f = schema.getField(name);
    return f == null ? -1 : f.pos();
  }

  /** A new array of values, one per field, holding each field's default (or null). */
  public Object[] newValues() {
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) values[i] = fields[i].defaultValue;
    return values;
  }

  /** {@code values} in Confluent's wire format: magic byte, {@code schemaId}, Avro binary. */
  public byte[] avro(int schemaId, Object[] values) {
    Buffer b = BUFFERS.get();
    b.bytes.reset();
    b.bytes.write(ConfluentWire.MAGIC);
    b.bytes.write(schemaId >>> 24);
    b.bytes.write(schemaId >>> 16);
    b.bytes.write(schemaId >>> 8);
    b.bytes.write(schemaId);
    b.encoder = EncoderFactory.get().binaryEncoder(b.bytes, b.encoder);
    try {
      for (int i = 0; i < fields.length; i++) fields[i].avro(b.encoder, values[i]);
      b.encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.bytes.toByteArray();
  }

  /** {@code values} as the JSON object of {@link JsonRecords}. */
  public byte[] json(Object[] values) {
    Buffer b = BUFFERS.get();
    b.bytes.reset();
    try (JsonGenerator g = JSON.createGenerator(b.bytes)) {
      g.writeStartObject();
      for (int i = 0; i < fields.length; i++) {
        g.writeFieldName(fields[i].jsonName);
        fields[i].json(g, values[i]);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.bytes.toByteArray();
  }

  /** A per-thread output buffer and Avro encoder, reused from record to record. */
  private static final class Buffer {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    BinaryEncoder encoder;
  }

  /** One field: how its values go to Avro and to JSON. */
  private static final class Field {
    final String name;
    // why: the name's JSON text, quoted and encoded once
    final SerializedString jsonName;
    final Schema schema;
    final Object defaultValue;
    // why: a ["null", X] union is written without resolving the branch per value
    final int nullBranch;
    final int valueBranch;
    final Schema value;
    final GenericDatumWriter<Object> generic;

    Field(Schema.Field f) {
      this.name = f.name();
      this.jsonName = new SerializedString(f.name());
      this.schema = f.schema();
      this.defaultValue = f.hasDefaultValue() ? GenericData.get().getDefaultValue(f) : null;
      int nullAt = -1;
      Schema other = schema;
      if (schema.getType() == Schema.Type.UNION && schema.getTypes().size() == 2) {
        for (int i = 0; i < 2; i++)
          if (schema.getTypes().get(i).getType() == Schema.Type.NULL) nullAt = i;
        if (nullAt >= 0) other = schema.getTypes().get(1 - nullAt);
      }
      this.nullBranch = nullAt;
      this.valueBranch = nullAt < 0 ? -1 : 1 - nullAt;
      this.value = other;
      this.generic = primitive(other) ? null : new GenericDatumWriter<>(schema);
    }

    void avro(BinaryEncoder e, Object v) throws IOException {
      if (generic != null) {
        generic.write(v == null ? null : RecordBuilder.avroValue(v), e);
        return;
      }
      if (nullBranch >= 0) {
        if (v == null) {
          e.writeIndex(nullBranch);
          return;
        }
        e.writeIndex(valueBranch);
      } else if (v == null) {
        throw new NullPointerException("field " + name + " of " + schema + " cannot be null");
      }
      switch (value.getType()) {
        case STRING -> e.writeString(v instanceof CharSequence s ? s : v.toString());
        case INT ->
            e.writeInt(v instanceof LocalDate d ? (int) d.toEpochDay() : ((Number) v).intValue());
        case LONG ->
            e.writeLong(v instanceof Instant i ? i.toEpochMilli() : ((Number) v).longValue());
        case DOUBLE -> e.writeDouble(((Number) v).doubleValue());
        case FLOAT -> e.writeFloat(((Number) v).floatValue());
        case BOOLEAN -> e.writeBoolean((Boolean) v);
        default -> throw new IllegalStateException("not a primitive: " + value);
      }
    }

    void json(JsonGenerator g, Object v) throws IOException {
      if (v == null) {
        g.writeNull();
        return;
      }
      if (generic != null) {
        g.writeTree(JsonRecords.write(RecordBuilder.avroValue(v), schema));
        return;
      }
      LogicalType logical = value.getLogicalType();
      switch (value.getType()) {
        case INT -> {
          int n = v instanceof LocalDate d ? (int) d.toEpochDay() : ((Number) v).intValue();
          if (logical != null && "date".equals(logical.getName()))
            g.writeString(LocalDate.ofEpochDay(n).toString());
          else g.writeNumber(n);
        }
        case LONG -> {
          long n = v instanceof Instant i ? i.toEpochMilli() : ((Number) v).longValue();
          if (logical != null && "timestamp-millis".equals(logical.getName()))
            g.writeString(IsoInstants.format(n));
          else g.writeNumber(n);
        }
        case DOUBLE -> g.writeNumber(((Number) v).doubleValue());
        case FLOAT -> g.writeNumber(((Number) v).floatValue());
        case BOOLEAN -> g.writeBoolean((Boolean) v);
        default -> g.writeString(v.toString());
      }
    }

    private static boolean primitive(Schema s) {
      return switch (s.getType()) {
        case STRING, INT, LONG, DOUBLE, FLOAT, BOOLEAN -> true;
        default -> false;
      };
    }
  }
}
