package io.sluice.spark.users;

import io.sluice.spark.JobCounters;
import io.sluice.spark.JobSettings;
import io.sluice.spark.KafkaInput;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;

/**
 * The Cassandra sink of the users job in real-time mode ({@code spark.mode: realtime}), over Kafka
 * records ({@link KafkaInput#COLUMNS}): each record is upserted by {@code id} as soon as its task
 * reads it, or sent to the dead-letter topic with the reason, as {@link UsersSink} does for a
 * micro-batch. A task lives for a whole real-time batch; {@link #close} returns only when every row
 * of it is stored and every dead letter acknowledged, and Spark commits the batch's offsets only
 * after that. A batch replayed after a crash rewrites the same rows under the same keys.
 */
public final class UsersRealtimeSink extends ForeachWriter<Row> {
  private final JobSettings settings;
  private final JobCounters counters;
  private transient UsersSink.Partition partition;

  public UsersRealtimeSink(JobSettings settings, JobCounters counters) {
    this.settings = settings;
    this.counters = counters;
  }

  @Override
  public boolean open(long partitionId, long epochId) {
    partition = new UsersSink.Partition(settings, counters);
    return true;
  }

  @Override
  public void process(Row record) {
    partition.write(KafkaInput.Record.of(record));
    // why: a batch lasts spark.realtime-batch; a write that failed (Cassandra down or busy) is
    // retried now rather than at the batch's end, so that its row is not that much later
    partition.retryFailed();
  }

  @Override
  public void close(Throwable errorOrNull) {
    // why: after an error the task fails and the batch runs again from its first offsets, so what
    // this task sent needs no waiting for
    if (errorOrNull == null && partition != null) partition.finish();
  }
}
