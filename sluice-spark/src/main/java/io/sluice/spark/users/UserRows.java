package io.sluice.spark.users;

import io.sluice.ingest.record.RecordFormatException;
import io.sluice.records.RecordReader;
import io.sluice.records.RecordType;
import io.sluice.spark.AvroRows;
import io.sluice.spark.JobSettings;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.sink.DeadLetters.Stage;
import java.util.Iterator;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns Kafka records of {@code users_created} into rows: the user's fields, read into the current
 * user schema ({@link RecordType#USER}) from Avro (each record's writer schema fetched from the
 * registry by id) or JSON, the Kafka coordinates, and for a record that is malformed or invalid the
 * failed stage and the reason (its user fields then are null).
 */
public final class UserRows implements MapPartitionsFunction<Row, Row> {
  private static final Schema USER = RecordType.USER.schema();

  private final JobSettings settings;

  public UserRows(JobSettings settings) {
    this.settings = settings;
  }

  /** The columns a user has in Cassandra and in the lake: the user schema's fields, in order. */
  public static final List<String> USER_COLUMNS =
      USER.getFields().stream().map(Schema.Field::name).toList();

  public static final StructType SCHEMA =
      AvroRows.concat(
          AvroRows.struct(USER),
          string("kafka_topic"),
          DataTypes.createStructField("kafka_partition", DataTypes.IntegerType, false),
          DataTypes.createStructField("kafka_offset", DataTypes.LongType, false),
          DataTypes.createStructField("kafka_timestamp", DataTypes.TimestampType, true),
          DataTypes.createStructField("raw_key", DataTypes.BinaryType, true),
          DataTypes.createStructField("raw_value", DataTypes.BinaryType, true),
          string("error_stage"),
          string("error"));

  public static final int KAFKA_TOPIC = USER_COLUMNS.size();
  public static final int KAFKA_PARTITION = KAFKA_TOPIC + 1;
  public static final int KAFKA_OFFSET = KAFKA_TOPIC + 2;
  public static final int RAW_KEY = KAFKA_TOPIC + 4;
  public static final int RAW_VALUE = KAFKA_TOPIC + 5;
  public static final int ERROR_STAGE = KAFKA_TOPIC + 6;
  public static final int ERROR = KAFKA_TOPIC + 7;

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    RecordReader reader = new RecordReader(RecordType.USER, settings.schemaRegistry());
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return input.hasNext();
      }

      @Override
      public Row next() {
        return toRow(input.next(), reader);
      }
    };
  }

  static Row toRow(Row kafka, RecordReader reader) {
    byte[] key = (byte[]) kafka.get(0);
    byte[] value = (byte[]) kafka.get(1);
    Object[] v = new Object[SCHEMA.size()];
    v[KAFKA_TOPIC] = kafka.getString(2);
    v[KAFKA_PARTITION] = kafka.getInt(3);
    v[KAFKA_OFFSET] = kafka.getLong(4);
    v[KAFKA_TOPIC + 3] = KafkaInput.instant(kafka.get(5));
    v[RAW_KEY] = key;
    v[RAW_VALUE] = value;
    Decoded d = decode(value, reader);
    if (d.user() == null) {
      v[ERROR_STAGE] = d.stage().header();
      v[ERROR] = d.error();
    } else {
      AvroRows.fill(v, d.user());
    }
    return RowFactory.create(v);
  }

  /** A Kafka value decoded and validated: the user, or the stage that refused it and why. */
  public record Decoded(GenericRecord user, Stage stage, String error) {}

  /** {@code value} read into the current user schema and validated. */
  public static Decoded decode(byte[] value, RecordReader reader) {
    GenericRecord user;
    try {
      user = reader.read(value);
    } catch (RecordFormatException e) {
      return new Decoded(null, Stage.PARSE, e.getMessage());
    }
    List<String> problems = UserValidator.problems(user);
    if (!problems.isEmpty()) return new Decoded(null, Stage.VALIDATE, String.join("; ", problems));
    return new Decoded(user, null, null);
  }

  private static StructField string(String name) {
    return DataTypes.createStructField(name, DataTypes.StringType, true);
  }
}
