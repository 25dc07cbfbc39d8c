package io.sluice.spark.users;

import com.datastax.oss.driver.api.core.CqlSession;
import io.sluice.records.RecordReader;
import io.sluice.records.RecordType;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.spark.JobCounters;
import io.sluice.spark.JobSettings;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.StreamJob;
import io.sluice.spark.sink.AsyncWriter;
import io.sluice.spark.sink.CassandraSchema;
import io.sluice.spark.sink.CassandraSessions;
import io.sluice.spark.sink.CassandraTable;
import io.sluice.spark.sink.DeadLetters;
import io.sluice.spark.sink.DeadLetters.Stage;
import io.sluice.spark.sink.RetryingReads;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code foreachBatch} of the users job, over Kafka records ({@link KafkaInput#COLUMNS}):
 * upserts valid users into Cassandra by {@code id} and sends the rest to the dead-letter topic with
 * the reason. It returns only when every row is stored and every dead letter acknowledged, so a
 * replayed batch (after a crash) rewrites the same rows and loses none.
 */
public final class UsersSink implements VoidFunction2<Dataset<Row>, Long> {
  private static final Logger log = LoggerFactory.getLogger(UsersSink.class);

  private final JobSettings settings;
  private final JobCounters counters;
  // why: only the driver's copy waits for it; the executors' copies are past that wait
  private final transient CompletableFuture<Void> tableCreated;

  /**
   * A sink that writes once {@code tableCreated} (the job's {@link StreamJob#provisionSink()}) has
   * completed.
   */
  public UsersSink(
      JobSettings settings, JobCounters counters, CompletableFuture<Void> tableCreated) {
    this.settings = settings;
    this.counters = counters;
    this.tableCreated = tableCreated;
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

  /**
   * Does ahead of the first batch what its partitions would do first, on the caller's thread: the
   * insert prepared (the driver caches prepared statements, weakly; at the least the node has it
   * and the driver's code is loaded), the dead-letter producer made, and the registry asked for the
   * topic's newest writer schema (records with that schema id are then resolved from the registry's
   * cache). Best effort: a failure leaves it to the first batch, as before.
   */
  public static void warm(CqlSession session, JobSettings s, String topic) {
    try {
      RetryingReads.prepare(session, table(s).insertCql());
      DeadLetters.warm(s.kafkaBootstrap());
      SchemaRegistry registry = s.schemaRegistry();
      if (registry != null)
        registry.schemaById(registry.latest(SchemaRegistry.valueSubject(topic)).id());
    } catch (RuntimeException e) {
      // why: no user has been ingested yet (no subject), or a server is slow: the batch does it
      log.debug("warming the users sink: {}", e.toString());
    }
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    StreamJob.await(tableCreated);
    KafkaInput.foreachPartition(batch, this::writePartition);
  }

  // why: Kafka records go straight to bound statements; a Dataset of parsed rows in between would
  // encode every user into Spark's row format and decode it again for the driver
  private void writePartition(Iterator<KafkaInput.Record> records) {
    if (!records.hasNext()) return;
    Partition partition = new Partition(settings, counters);
    while (records.hasNext()) partition.write(records.next());
    partition.finish();
  }

  /**
   * The writes of one partition of Kafka records: each valid user is upserted, each bad record sent
   * to the dead-letter topic. {@link #finish} returns when all of them are stored. Used by one
   * thread.
   */
  static final class Partition {
    private final JobSettings settings;
    private final JobCounters counters;
    private final CassandraTable.Binder binder;
    private final RecordReader reader;
    private final DeadLetters dlq;
    private final AsyncWriter<KafkaInput.Record> writer;
    private long counted;
    private long countedDead;

    Partition(JobSettings settings, JobCounters counters) {
      this.settings = settings;
      this.counters = counters;
      CqlSession session = CassandraSessions.get(settings);
      CassandraTable table = table(settings);
      this.binder =
          table.binder(RetryingReads.prepare(session, table.insertCql()), RecordType.USER.schema());
      this.reader = new RecordReader(RecordType.USER, settings.schemaRegistry());
      this.dlq = new DeadLetters(settings.kafkaBootstrap(), settings.dlqTopic());
      this.writer =
          new AsyncWriter<>(
              session,
              settings.maxInFlight(),
              (record, error) -> deadLetter(dlq, record, Stage.SINK, error.toString()));
    }

    /** Sends the upsert of one Kafka record, or its dead letter; returns before it is stored. */
    void write(KafkaInput.Record record) {
      UserRows.Decoded d = UserRows.decode(record.value(), reader);
      if (d.user() != null) writer.write(record, binder.bind(d.user()));
      else deadLetter(dlq, record, d.stage(), d.error());
    }

    /** Retries the writes that failed so far, until they are stored; without waiting otherwise. */
    void retryFailed() {
      if (writer.failed() > 0) writer.flush();
    }

    /** Blocks until every write and dead letter sent is stored, and counts them. */
    void finish() {
      long written = writer.flush();
      long dead = dlq.flush();
      counters.add(settings.usersTable(), written - counted);
      counters.add(JobCounters.DEAD_LETTERS, dead - countedDead);
      counted = written;
      countedDead = dead;
    }
  }

  private static void deadLetter(
      DeadLetters dlq, KafkaInput.Record record, Stage stage, String error) {
    dlq.send(
        stage,
        error,
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        record.value());
  }
}
