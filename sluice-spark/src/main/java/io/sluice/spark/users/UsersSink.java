package io.sluice.spark.users;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.sluice.records.RecordType;
import io.sluice.spark.JobCounters;
import io.sluice.spark.JobSettings;
import io.sluice.spark.sink.AsyncWriter;
import io.sluice.spark.sink.CassandraSchema;
import io.sluice.spark.sink.CassandraSessions;
import io.sluice.spark.sink.CassandraTable;
import io.sluice.spark.sink.DeadLetters;
import io.sluice.spark.sink.DeadLetters.Stage;
import io.sluice.spark.sink.RetryingReads;
import java.util.Iterator;
import java.util.Map;
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

  /** The users table: the user schema's fields, keyed by {@code id}. */
  public static CassandraTable table(JobSettings s) {
    return CassandraTable.of(
        s.usersKeyspace(), s.usersTable(), RecordType.USER.schema(), "id", Map.of());
  }

  /** Creates the keyspace and the table, and adds the columns a newer user schema brings. */
  public static void createTable(CqlSession session, JobSettings s) {
    CassandraSchema.createKeyspace(session, s.usersKeyspace(), s.replication());
    table(s).createOrEvolve(session);
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    batch.foreachPartition((ForeachPartitionFunction<Row>) this::writePartition);
  }

  private void writePartition(Iterator<Row> rows) {
    if (!rows.hasNext()) return;
    CqlSession session = CassandraSessions.get(settings);
    CassandraTable table = table(settings);
    PreparedStatement insert = RetryingReads.prepare(session, table.insertCql());
    DeadLetters dlq = new DeadLetters(settings.kafkaBootstrap(), settings.dlqTopic());
    AsyncWriter<Row> writer =
        new AsyncWriter<>(
            session,
            settings.maxInFlight(),
            (row, error) -> deadLetter(dlq, row, Stage.SINK, error.toString()));
    while (rows.hasNext()) {
      Row row = rows.next();
      if (row.isNullAt(UserRows.ERROR_STAGE)) {
        writer.write(row, table.bind(insert, row));
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
