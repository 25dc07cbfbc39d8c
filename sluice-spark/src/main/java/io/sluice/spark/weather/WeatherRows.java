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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns Kafka records of the hourly and daily weather topics into one row shape: {@code kind}
 * ({@code hourly} or {@code daily}), {@code date} (the local date in the location's timezone), the
 * Kafka coordinates, for a malformed or invalid record the failed stage and the reason, and then
 * every field of the current hourly and daily weather schemas ({@link RecordType#HOURLY_WEATHER},
 * {@link RecordType#DAILY_WEATHER}), each once, by spark-avro's types. A field added to either
 * {@code .avsc} is a column of these rows, and of the lake, with no change here.
 */
public final class WeatherRows implements MapPartitionsFunction<Row, Row> {
  public static final String HOURLY = "hourly";
  public static final String DAILY = "daily";

  static final int KIND = 0;
  static final int DATE = 1;
  static final int KAFKA_TOPIC = 2;
  static final int KAFKA_PARTITION = 3;
  static final int KAFKA_OFFSET = 4;
  static final int RAW_KEY = 5;
  static final int RAW_VALUE = 6;
  static final int ERROR_STAGE = 7;
  static final int ERROR = 8;

  private static final StructField[] FIXED = {
    string("kind"),
    DataTypes.createStructField("date", DataTypes.DateType, true),
    string("kafka_topic"),
    DataTypes.createStructField("kafka_partition", DataTypes.IntegerType, false),
    DataTypes.createStructField("kafka_offset", DataTypes.LongType, false),
    DataTypes.createStructField("raw_key", DataTypes.BinaryType, true),
    DataTypes.createStructField("raw_value", DataTypes.BinaryType, true),
    string("error_stage"),
    string("error")
  };

  private final String hourlyTopic;
  private final JobSettings settings;
  private final Schema hourlySchema = RecordType.HOURLY_WEATHER.schema();
  private final Schema dailySchema = RecordType.DAILY_WEATHER.schema();
  private final StructType schema = schema(hourlySchema, dailySchema);
  // why: each Avro field's row index, resolved once, so a record is copied by position
  private final int[] hourlyIndex = indexes(hourlySchema, schema);
  private final int[] dailyIndex = indexes(dailySchema, schema);
  private final int location = schema.fieldIndex("location");
  private final int latitude = schema.fieldIndex("latitude");
  private final int longitude = schema.fieldIndex("longitude");
  private final int time = schema.fieldIndex("time");
  private final int timezone = schema.fieldIndex("timezone");
  private final int source = schema.fieldIndex("source");

  /** Rows of the current weather schemas; records of {@code hourlyTopic} are hours. */
  public WeatherRows(String hourlyTopic, JobSettings settings) {
    this.hourlyTopic = hourlyTopic;
    this.settings = settings;
  }

  /** The rows' struct: the fixed columns, then the weather schemas' fields. */
  public StructType schema() {
    return schema;
  }

  /**
   * The lake's columns of {@code parsed}, rows of this shape: {@code kind}, the weather fields,
   * {@code date} and the Kafka partition and offset (not the raw bytes, nor the error columns).
   */
  public static List<String> lakeColumns(StructType parsed) {
    List<String> columns = new ArrayList<>(List.of("kind"));
    for (int i = FIXED.length; i < parsed.size(); i++) columns.add(parsed.fields()[i].name());
    columns.addAll(List.of("date", "kafka_partition", "kafka_offset"));
    return columns;
  }

  static StructType schema(Schema hourly, Schema daily) {
    Map<String, StructField> fields = new LinkedHashMap<>();
    for (StructField f : FIXED) fields.put(f.name(), f);
    for (Schema s : List.of(hourly, daily)) {
      for (StructField f : AvroRows.struct(s).fields()) {
        StructField seen = fields.putIfAbsent(f.name(), f);
        if (seen != null && !seen.dataType().equals(f.dataType()))
          throw new IllegalStateException(
              "weather field "
                  + f.name()
                  + " is "
                  + seen.dataType().simpleString()
                  + " in one schema and "
                  + f.dataType().simpleString()
                  + " in "
                  + s.getFullName());
      }
    }
    return new StructType(fields.values().toArray(StructField[]::new));
  }

  private static int[] indexes(Schema record, StructType rows) {
    return record.getFields().stream().mapToInt(f -> rows.fieldIndex(f.name())).toArray();
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    RecordReader hourly = new RecordReader(hourlySchema, settings.schemaRegistry());
    RecordReader daily = new RecordReader(dailySchema, settings.schemaRegistry());
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
    Object[] v = new Object[schema.size()];
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
      fill(v, r, hourly ? hourlyIndex : dailyIndex);
    } catch (RecordFormatException e) {
      return failed(v, Stage.PARSE, e.getMessage());
    }
    Object zone = v[timezone];
    if (zone == null || ((String) zone).isBlank()) v[timezone] = "UTC";
    List<String> problems = problems(v);
    if (!problems.isEmpty()) return failed(v, Stage.VALIDATE, String.join("; ", problems));
    if (hourly) {
      v[DATE] = LocalDate.ofInstant(KafkaInput.instant(v[time]), ZoneId.of((String) v[timezone]));
    }
    return RowFactory.create(v);
  }

  private static void fill(Object[] v, GenericRecord r, int[] index) {
    List<Schema.Field> fields = r.getSchema().getFields();
    for (int i = 0; i < index.length; i++)
      v[index[i]] = AvroRows.value(r.get(i), fields.get(i).schema());
  }

  List<String> problems(Object[] v) {
    List<String> problems = new ArrayList<>();
    if (v[location] == null || ((String) v[location]).isBlank())
      problems.add("location is missing");
    double lat = (Double) v[latitude];
    double lon = (Double) v[longitude];
    if (lat < -90 || lat > 90) problems.add("latitude out of range: " + lat);
    if (lon < -180 || lon > 180) problems.add("longitude out of range: " + lon);
    if (HOURLY.equals(v[KIND]) && v[time] == null) problems.add("time is missing");
    if (DAILY.equals(v[KIND]) && v[DATE] == null) problems.add("date is missing");
    try {
      ZoneId.of((String) v[timezone]);
    } catch (DateTimeException e) {
      problems.add("unknown timezone " + v[timezone]);
    }
    if (v[source] == null) problems.add("source is missing");
    return problems;
  }

  private Row failed(Object[] v, Stage stage, String error) {
    Object[] out = new Object[schema.size()];
    System.arraycopy(v, 0, out, 0, ERROR_STAGE);
    out[DATE] = null;
    out[ERROR_STAGE] = stage.header();
    out[ERROR] = error;
    return RowFactory.create(out);
  }

  private static StructField string(String name) {
    return DataTypes.createStructField(name, DataTypes.StringType, true);
  }
}
