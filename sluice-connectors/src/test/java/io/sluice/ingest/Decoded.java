package io.sluice.ingest;

import io.sluice.records.JsonRecords;
import io.sluice.records.RecordType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/** A record read back from a JSON topic, its fields by name as Java values. */
record Decoded(GenericRecord record) {
  static Decoded of(byte[] value, RecordType type) {
    return new Decoded(JsonRecords.decode(value, type.schema()));
  }

  String text(String field) {
    Object v = record.get(field);
    return v == null ? null : v.toString();
  }

  Instant instant(String field) {
    Object v = record.get(field);
    return v == null ? null : Instant.ofEpochMilli((Long) v);
  }

  LocalDate date(String field) {
    Object v = record.get(field);
    return v == null ? null : LocalDate.ofEpochDay((Integer) v);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> map(String field) {
    return (Map<String, Object>) record.get(field);
  }
}
