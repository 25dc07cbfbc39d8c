package io.sluice.spark.users;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.sluice.spark.JobCounters;
import io.sluice.spark.JobSettings;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.sink.AsyncWriter;
import io.sluice.spark.sink.CassandraSchema;
import io.sluice.spark.sink.CassandraSessions;
import io.sluice.spark.sink.DeadLetters;
import io.sluice.spark.sink.DeadLetters.Stage;
import io.sluice.spark.sink.RetryingReads;
import java.util.Iterator;
import java.util.UUID;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@code foreachBatch} of the users job: upserts valid users into Cassandra by {@code id} and
 * sends the rest to the dead-letter topic. It returns only when every row is stored and every dead
 * letter acknowledged, so a replayed batch (after a crash) rewrites the same rows and loses none.
 */
public final class UsersSink implements VoidFunction2<Dataset<Row>, Long> {
  private final JobSettings settings;
  private final JobCounters counters;

  public UsersSink(JobSettings settings, JobCounters counters) {
    this.settings = settings;
    this.counters = counters;
  }

  public static String table(JobSettings s) {
    return CassandraSchema.identifier(s.usersKeyspace())
        + "."
        + CassandraSchema.identifier(s.usersTable());
  }

  public static void createTable(CqlSession session, JobSettings s) {
    CassandraSchema.createKeyspace(session, s.usersKeyspace(), s.replication());
    CassandraSchema.execute(
        session,
        "CREATE TABLE IF NOT EXISTS "
            + table(s)
            + " (id uuid PRIMARY KEY, first_name text, last_name text, gender text, address text,"
            + " post_code text, email text, username text, dob timestamp, registered_date timestamp,"
            + " phone text, picture text, source text, fetched_at timestamp, run_id text,"
            + " schema_version int)");
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    batch.foreachPartition((ForeachPartitionFunction<Row>) this::writePartition);
  }

  private void writePartition(Iterator<Row> rows) {
    if (!rows.hasNext()) return;
    CqlSession session = CassandraSessions.get(settings);
    PreparedStatement insert =
        RetryingReads.prepare(
            session,
            "INSERT INTO "
                + table(settings)
                + " ("
                + String.join(", ", UserRows.USER_COLUMNS)
                + ") VALUES (?"
                + ", ?".repeat(UserRows.USER_COLUMNS.size() - 1)
                + ")");
    DeadLetters dlq = new DeadLetters(settings.kafkaBootstrap(), settings.dlqTopic());
    AsyncWriter<Row> writer =
        new AsyncWriter<>(
            session,
            settings.maxInFlight(),
            (row, error) -> deadLetter(dlq, row, Stage.SINK, error.toString()));
    while (rows.hasNext()) {
      Row row = rows.next();
      if (row.isNullAt(UserRows.ERROR_STAGE)) {
        writer.write(
            row,
            insert.bind(
                UUID.fromString(row.getString(0)),
                row.getString(1),
                row.getString(2),
                row.getString(3),
                row.getString(4),
                row.getString(5),
                row.getString(6),
                row.getString(7),
                KafkaInput.instant(row.get(8)),
                KafkaInput.instant(row.get(9)),
                row.getString(10),
                row.getString(11),
                row.getString(12),
                KafkaInput.instant(row.get(13)),
                row.getString(14),
                row.isNullAt(15) ? null : row.getInt(15)));
      } else {
        Stage stage =
            Stage.valueOf(row.getString(UserRows.ERROR_STAGE).toUpperCase(java.util.Locale.ROOT));
        deadLetter(dlq, row, stage, row.getString(UserRows.ERROR));
      }
    }
    long written = writer.flush();
    long dead = dlq.flush();
    counters.add(settings.usersTable(), written);
    counters.add(JobCounters.DEAD_LETTERS, dead);
  }

  private static void deadLetter(DeadLetters dlq, Row row, Stage stage, String error) {
    dlq.send(
        stage,
        error,
        row.getString(UserRows.KAFKA_TOPIC),
        row.getInt(UserRows.KAFKA_PARTITION),
        row.getLong(UserRows.KAFKA_OFFSET),
        (byte[]) row.get(UserRows.RAW_KEY),
        (byte[]) row.get(UserRows.RAW_VALUE));
  }
}
