package io.sluice.spark;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.sql.avro.SchemaConverters;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark's view of an Avro record: its struct type, by spark-avro's {@link SchemaConverters} (so the
 * Parquet columns follow the {@code .avsc}), and its values as a row's external Java types (with
 * {@code spark.sql.datetime.java8API.enabled}: {@link Instant}, {@link LocalDate}).
 */
public final class AvroRows {
  private AvroRows() {}

  /**
   * The struct of an Avro record schema, one field per Avro field, in order, every field nullable
   * (a row that failed to decode has none of its values).
   */
  public static StructType struct(Schema schema) {
    StructType struct = (StructType) SchemaConverters.toSqlType(schema).dataType();
    List<StructField> fields = new ArrayList<>();
    for (StructField f : struct.fields())
      fields.add(new StructField(f.name(), f.dataType(), true, f.metadata()));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** {@code struct}'s fields followed by {@code more}. */
  public static StructType concat(StructType struct, StructField... more) {
    List<StructField> fields = new ArrayList<>(List.of(struct.fields()));
    fields.addAll(List.of(more));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** Writes {@code record}'s field values into {@code out}, from index 0 in schema order. */
  public static void fill(Object[] out, GenericRecord record) {
    for (Schema.Field f : record.getSchema().getFields())
      out[f.pos()] = value(record.get(f.pos()), f.schema());
  }

  /** One Avro value of {@code schema} as a row's external Java value. */
  public static Object value(Object v, Schema schema) {
    if (v == null) return null;
    LogicalType logical = schema.getLogicalType();
    String l = logical == null ? "" : logical.getName();
    switch (schema.getType()) {
      case UNION:
        return value(v, schema.getTypes().get(GenericData.get().resolveUnion(schema, v)));
      case STRING:
      case ENUM:
        return v.toString();
      case INT:
        return l.equals("date") ? LocalDate.ofEpochDay(((Number) v).intValue()) : v;
      case LONG:
        if (l.equals("timestamp-millis")) return Instant.ofEpochMilli((Long) v);
        if (l.equals("timestamp-micros")) return Instant.EPOCH.plusNanos((Long) v * 1000);
        return v;
      case BYTES:
        ByteBuffer b = ((ByteBuffer) v).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
      case MAP:
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet())
          m.put(e.getKey().toString(), value(e.getValue(), schema.getValueType()));
        return CollectionConverters.asScala(m);
      case ARRAY:
        List<Object> list = new ArrayList<>();
        for (Object item : (Iterable<?>) v) list.add(value(item, schema.getElementType()));
        return CollectionConverters.asScala(list).toSeq();
      case RECORD:
        GenericRecord r = (GenericRecord) v;
        Object[] fields = new Object[schema.getFields().size()];
        fill(fields, r);
        return org.apache.spark.sql.RowFactory.create(fields);
      default:
        return v;
    }
  }
}
