package io.sluice.ingest.openmeteo;

import io.sluice.records.JsonRecords;
import io.sluice.records.RecordBuilder;
import io.sluice.records.RecordType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The records of one block ({@code hourly} or {@code daily}) of one location: the fields every row
 * of the block shares (location, zone, units, run) are built once, by name, and each row adds its
 * time and values by position. A row is the record {@link RecordBuilder} gives for the same fields.
 */
final class WeatherRows {
  private final Schema schema;
  private final Object[] shared;
  private final int timeAt;
  private final int valuesAt;

  WeatherRows(
      RecordType type,
      String runId,
      String location,
      double lat,
      double lon,
      String timezone,
      Instant fetchedAt,
      Map<String, String> units) {
    GenericRecord template =
        RecordBuilder.of(type)
            .set("schema_version", JsonRecords.MAX_SCHEMA_VERSION)
            .set("location", location)
            .set("latitude", lat)
            .set("longitude", lon)
            .set("timezone", timezone)
            .set("source", OpenMeteoParser.SOURCE)
            .set("fetched_at", fetchedAt)
            .set("run_id", runId)
            .set("units", units)
            .build();
    this.schema = template.getSchema();
    this.shared = new Object[schema.getFields().size()];
    for (int i = 0; i < shared.length; i++) shared[i] = template.get(i);
    this.timeAt = schema.getField(type == RecordType.DAILY_WEATHER ? "date" : "time").pos();
    this.valuesAt = schema.getField("values").pos();
  }

  /**
   * A new map for a row's values, to fill in the block's column order: the {@code HashMap} of the
   * size that Avro's copy of a built record's map field is, so that its entries are written in the
   * same order as a built record's.
   */
  static Map<String, Double> newValues(int columns) {
    return new HashMap<>(columns);
  }

  /** The record of an hour. */
  GenericRecord hour(Instant time, Map<String, Double> values) {
    return row(time.toEpochMilli(), values);
  }

  /** The record of a day. */
  GenericRecord day(LocalDate date, Map<String, Double> values) {
    return row((int) date.toEpochDay(), values);
  }

  private GenericRecord row(Object time, Map<String, Double> values) {
    GenericData.Record r = new GenericData.Record(schema);
    for (int i = 0; i < shared.length; i++) r.put(i, shared[i]);
    r.put(timeAt, time);
    r.put(valuesAt, values);
    return r;
  }
}
