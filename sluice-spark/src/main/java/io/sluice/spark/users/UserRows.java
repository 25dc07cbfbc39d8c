package io.sluice.spark.users;

import io.sluice.ingest.record.RecordCodec;
import io.sluice.ingest.record.User;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.sink.DeadLetters.Stage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns Kafka records of {@code users_created} into rows: the user's fields decoded with the shared
 * {@link RecordCodec}, the Kafka coordinates, and for a record that is malformed or invalid the
 * failed stage and the reason (its user fields then are null).
 */
public final class UserRows implements MapPartitionsFunction<Row, Row> {
  /** The columns a user has in Cassandra and in the lake, in schema order. */
  public static final List<String> USER_COLUMNS =
      List.of(
          "id",
          "first_name",
          "last_name",
          "gender",
          "address",
          "post_code",
          "email",
          "username",
          "dob",
          "registered_date",
          "phone",
          "picture",
          "source",
          "fetched_at",
          "run_id",
          "schema_version");

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            string("id"),
            string("first_name"),
            string("last_name"),
            string("gender"),
            string("address"),
            string("post_code"),
            string("email"),
            string("username"),
            timestamp("dob"),
            timestamp("registered_date"),
            string("phone"),
            string("picture"),
            string("source"),
            timestamp("fetched_at"),
            string("run_id"),
            DataTypes.createStructField("schema_version", DataTypes.IntegerType, true),
            string("kafka_topic"),
            DataTypes.createStructField("kafka_partition", DataTypes.IntegerType, false),
            DataTypes.createStructField("kafka_offset", DataTypes.LongType, false),
            timestamp("kafka_timestamp"),
            DataTypes.createStructField("raw_key", DataTypes.BinaryType, true),
            DataTypes.createStructField("raw_value", DataTypes.BinaryType, true),
            string("error_stage"),
            string("error")
          });

  public static final int KAFKA_TOPIC = 16;
  public static final int KAFKA_PARTITION = 17;
  public static final int KAFKA_OFFSET = 18;
  public static final int RAW_KEY = 20;
  public static final int RAW_VALUE = 21;
  public static final int ERROR_STAGE = 22;
  public static final int ERROR = 23;

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

  static Row toRow(Row kafka) {
    byte[] key = (byte[]) kafka.get(0);
    byte[] value = (byte[]) kafka.get(1);
    Object[] meta = {
      kafka.getString(2),
      kafka.getInt(3),
      kafka.getLong(4),
      KafkaInput.instant(kafka.get(5)),
      key,
      value
    };
    User user;
    try {
      if (value == null) throw new IllegalArgumentException("record has no value");
      user = RecordCodec.decodeUser(value);
    } catch (RuntimeException e) {
      return failed(meta, Stage.PARSE, e.getMessage());
    }
    List<String> problems = UserValidator.problems(user);
    if (!problems.isEmpty()) return failed(meta, Stage.VALIDATE, String.join("; ", problems));
    List<Object> v = new ArrayList<>(SCHEMA.size());
    v.add(user.id());
    v.add(user.firstName());
    v.add(user.lastName());
    v.add(user.gender());
    v.add(user.address());
    v.add(user.postCode());
    v.add(user.email());
    v.add(user.username());
    v.add(user.dob());
    v.add(user.registeredDate());
    v.add(user.phone());
    v.add(user.picture());
    v.add(user.source());
    v.add(user.fetchedAt());
    v.add(user.runId());
    v.add(user.schemaVersion());
    for (Object m : meta) v.add(m);
    v.add(null);
    v.add(null);
    return RowFactory.create(v.toArray());
  }

  private static Row failed(Object[] meta, Stage stage, String error) {
    Object[] v = new Object[SCHEMA.size()];
    System.arraycopy(meta, 0, v, KAFKA_TOPIC, meta.length);
    v[ERROR_STAGE] = stage.header();
    v[ERROR] = error;
    return RowFactory.create(v);
  }

  private static StructField string(String name) {
    return DataTypes.createStructField(name, DataTypes.StringType, true);
  }

  private static StructField timestamp(String name) {
    return DataTypes.createStructField(name, DataTypes.TimestampType, true);
  }
}
