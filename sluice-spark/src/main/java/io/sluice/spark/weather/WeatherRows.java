package io.sluice.spark.weather;

import io.sluice.ingest.record.DailyWeather;
import io.sluice.ingest.record.HourlyWeather;
import io.sluice.ingest.record.RecordCodec;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.sink.DeadLetters.Stage;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

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

  public WeatherRows(String hourlyTopic) {
    this.hourlyTopic = hourlyTopic;
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
            field("error", DataTypes.StringType)
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

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Row next() {
        return toRow(input.next());
      }
    };
  }

  Row toRow(Row kafka) {
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
      if (value == null) throw new IllegalArgumentException("record has no value");
      if (hourly) {
        HourlyWeather h = RecordCodec.decodeHourly(value);
        fill(v, h.location(), h.latitude(), h.longitude(), h.timezone(), h.values(), h.units());
        fillProvenance(v, h.source(), h.fetchedAt(), h.runId());
        v[TIME] = h.time();
      } else {
        DailyWeather d = RecordCodec.decodeDaily(value);
        fill(v, d.location(), d.latitude(), d.longitude(), d.timezone(), d.values(), d.units());
        fillProvenance(v, d.source(), d.fetchedAt(), d.runId());
        v[DATE] = d.date();
      }
    } catch (RuntimeException e) {
      return failed(v, Stage.PARSE, e.getMessage());
    }
    List<String> problems = problems(v);
    if (!problems.isEmpty()) return failed(v, Stage.VALIDATE, String.join("; ", problems));
    if (hourly) {
      v[DATE] = LocalDate.ofInstant(KafkaInput.instant(v[TIME]), ZoneId.of((String) v[TIMEZONE]));
    }
    return RowFactory.create(v);
  }

  private static void fill(
      Object[] v,
      String location,
      double lat,
      double lon,
      String timezone,
      Map<String, Double> values,
      Map<String, String> units) {
    v[LOCATION] = location;
    v[LATITUDE] = lat;
    v[LONGITUDE] = lon;
    v[TIMEZONE] = timezone == null || timezone.isBlank() ? "UTC" : timezone;
    v[VALUES] = CollectionConverters.asScala(values);
    v[UNITS] = CollectionConverters.asScala(units);
  }

  private static void fillProvenance(Object[] v, String source, Object fetchedAt, String runId) {
    v[SOURCE] = source;
    v[FETCHED_AT] = fetchedAt;
    v[RUN_ID] = runId;
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
