package io.sluice.records;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A Java record of the ingest ({@code User}, {@code HourlyWeather}, {@code DailyWeather}) as an
 * Avro record of its schema: each schema field takes the component of the same wire name
 * ({@code @JsonProperty}); a schema field the Java record lacks takes its default. Thread-safe.
 */
public final class JavaRecords {
  private static final Map<Class<?>, Map<Schema, Method[]>> ACCESSORS = new ConcurrentHashMap<>();

  private JavaRecords() {}

  /** {@code record} in {@code schema}. */
  public static GenericRecord toAvro(Record record, Schema schema) {
    Method[] accessors =
        ACCESSORS
            .computeIfAbsent(record.getClass(), c -> new ConcurrentHashMap<>())
            .computeIfAbsent(schema, s -> accessors(record.getClass(), s));
    GenericData.Record out = new GenericData.Record(schema);
    for (Schema.Field f : schema.getFields()) {
      Method accessor = accessors[f.pos()];
      out.put(
          f.pos(),
          accessor == null
              ? GenericData.get().getDefaultValue(f)
              : avroValue(get(accessor, record)));
    }
    return out;
  }

  /** For each schema field, the accessor of the component with its wire name, or null. */
  private static Method[] accessors(Class<?> type, Schema schema) {
    Method[] byField = new Method[schema.getFields().size()];
    for (RecordComponent c : type.getRecordComponents()) {
      JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
      Schema.Field f = schema.getField(p != null ? p.value() : c.getName());
      if (f != null) byField[f.pos()] = c.getAccessor();
    }
    return byField;
  }

  private static Object get(Method accessor, Record record) {
    try {
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + accessor, e);
    }
  }

  private static Object avroValue(Object v) {
    if (v instanceof Instant i) return i.toEpochMilli();
    if (v instanceof LocalDate d) return (int) d.toEpochDay();
    return v;
  }
}
