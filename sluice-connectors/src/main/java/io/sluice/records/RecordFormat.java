package io.sluice.records;

import java.util.Locale;

/** How records travel on a topic. */
public enum RecordFormat {
  /** Confluent's wire format: magic byte, registry schema id, Avro binary. The default. */
  AVRO,
  /** Readable JSON, one field per schema field ({@link JsonRecords}). */
  JSON;

  /** {@code avro} or {@code json}, any case. */
  public static RecordFormat parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("record format must be avro or json, not '" + s + "'");
    }
  }
}
