package io.sluice.spark.weather;

import io.sluice.ingest.record.RecordFormatException;
import io.sluice.records.RecordReader;
import io.sluice.records.RecordType;
import io.sluice.spark.AvroRows;
import io.sluice.spark.JobSettings;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.sink.DeadLetters.Stage;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns Kafka records of the hourly and daily weather topics into one row shape: {@code kind}
 * ({@code hourly} or {@code daily}), the location, {@code time} (hourly only), {@code date} (the
 * local date in the location's timezone), the measured values and their units, the Kafka
 * coordinates, and for a malformed or invalid record the failed stage and the reason.
 */
public final class WeatherRows implements MapPartitionsFunction<Row, Row> {
  public static final String HOURLY = "hourly";
  public static final String DAILY = "daily";

  private final String hourlyTopic;
  private final JobSettings settings;

  public WeatherRows(String hourlyTopic, JobSettings settings) {
    this.hourlyTopic = hourlyTopic;
    this.settings = settings;
  }

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            field("kind", DataTypes.StringType),
            field("location", DataTypes.StringType),
            field("latitude", DataTypes.DoubleType),
            field("longitude", DataTypes.DoubleType),
            field("time", DataTypes.TimestampType),
            field("date", DataTypes.DateType),
            field("timezone", DataTypes.StringType),
            field(
                "values",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true)),
            field("units", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)),
            field("source", DataTypes.StringType),
            field("fetched_at", DataTypes.TimestampType),
            field("run_id", DataTypes.StringType),
            field("kafka_topic", DataTypes.StringType),
            field("kafka_partition", DataTypes.IntegerType),
            field("kafka_offset", DataTypes.LongType),
            field("raw_key", DataTypes.BinaryType),
            field("raw_value", DataTypes.BinaryType),
            field("error_stage", DataTypes.StringType),
            field("error", DataTypes.StringType),
            field("schema_version", DataTypes.IntegerType)
          });

  static final int KIND = 0;
  static final int LOCATION = 1;
  static final int LATITUDE = 2;
  static final int LONGITUDE = 3;
  static final int TIME = 4;
  static final int DATE = 5;
  static final int TIMEZONE = 6;
  static final int VALUES = 7;
  static final int UNITS = 8;
  static final int SOURCE = 9;
  static final int FETCHED_AT = 10;
  static final int RUN_ID = 11;
  static final int KAFKA_TOPIC = 12;
  static final int KAFKA_PARTITION = 13;
  static final int KAFKA_OFFSET = 14;
  static final int RAW_KEY = 15;
  static final int RAW_VALUE = 16;
  static final int ERROR_STAGE = 17;
  static final int ERROR = 18;
  static final int SCHEMA_VERSION = 19;

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    RecordReader hourly = new RecordReader(RecordType.HOURLY_WEATHER, settings.schemaRegistry());
    RecordReader daily = new RecordReader(RecordType.DAILY_WEATHER, settings.schemaRegistry());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Row next() {
        return toRow(input.next(), hourly, daily);
      }
    };
  }

  Row toRow(Row kafka, RecordReader hourlyReader, RecordReader dailyReader) {
    Object[] v = new Object[SCHEMA.size()];
    String topic = kafka.getString(2);
    byte[] value = (byte[]) kafka.get(1);
    v[KAFKA_TOPIC] = topic;
    v[KAFKA_PARTITION] = kafka.getInt(3);
    v[KAFKA_OFFSET] = kafka.getLong(4);
    v[RAW_KEY] = kafka.get(0);
    v[RAW_VALUE] = value;
    boolean hourly = topic.equals(hourlyTopic);
    v[KIND] = hourly ? HOURLY : DAILY;
    try {
      GenericRecord r = (hourly ? hourlyReader : dailyReader).read(value);
      fill(v, r);
      if (hourly) v[TIME] = AvroRows.value(r.get("time"), r.getSchema().getField("time").schema());
      else v[DATE] = AvroRows.value(r.get("date"), r.getSchema().getField("date").schema());
    } catch (RecordFormatException e) {
      return failed(v, Stage.PARSE, e.getMessage());
    }
    List<String> problems = problems(v);
    if (!problems.isEmpty()) return failed(v, Stage.VALIDATE, String.join("; ", problems));
    if (hourly) {
      v[DATE] = LocalDate.ofInstant(KafkaInput.instant(v[TIME]), ZoneId.of((String) v[TIMEZONE]));
    }
    return RowFactory.create(v);
  }

  private static void fill(Object[] v, GenericRecord r) {
    for (String field :
        List.of("location", "latitude", "longitude", "values", "units", "source", "fetched_at"))
      v[SCHEMA.fieldIndex(field)] =
          AvroRows.value(r.get(field), r.getSchema().getField(field).schema());
    v[SCHEMA_VERSION] = r.get("schema_version");
    Object runId = r.get("run_id");
    v[RUN_ID] = runId == null ? null : runId.toString();
    Object timezone = r.get("timezone");
    v[TIMEZONE] = timezone == null || timezone.toString().isBlank() ? "UTC" : timezone.toString();
  }

  static List<String> problems(Object[] v) {
    List<String> problems = new ArrayList<>();
    if (v[LOCATION] == null || ((String) v[LOCATION]).isBlank())
      problems.add("location is missing");
    double lat = (Double) v[LATITUDE];
    double lon = (Double) v[LONGITUDE];
    if (lat < -90 || lat > 90) problems.add("latitude out of range: " + lat);
    if (lon < -180 || lon > 180) problems.add("longitude out of range: " + lon);
    if (HOURLY.equals(v[KIND]) && v[TIME] == null) problems.add("time is missing");
    if (DAILY.equals(v[KIND]) && v[DATE] == null) problems.add("date is missing");
    try {
      ZoneId.of((String) v[TIMEZONE]);
    } catch (DateTimeException e) {
      problems.add("unknown timezone " + v[TIMEZONE]);
    }
    if (v[SOURCE] == null) problems.add("source is missing");
    return problems;
  }

  private static Row failed(Object[] v, Stage stage, String error) {
    Object[] out = new Object[SCHEMA.size()];
    System.arraycopy(v, KAFKA_TOPIC, out, KAFKA_TOPIC, RAW_VALUE - KAFKA_TOPIC + 1);
    out[KIND] = v[KIND];
    out[ERROR_STAGE] = stage.header();
    out[ERROR] = error;
    return RowFactory.create(out);
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
