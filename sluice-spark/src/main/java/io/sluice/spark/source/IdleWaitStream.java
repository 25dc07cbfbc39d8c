package io.sluice.spark.source;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;
import org.apache.spark.sql.connector.read.streaming.SupportsRealTimeMode;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;

/**
 * A micro-batch stream that, when the stream it wraps has no records after the last batch, waits
 * (at most {@code idleWait}) until one is committed before it answers, then asks again. Spark asks
 * for the latest offset once per trigger; while records flow the answer comes at once, and an idle
 * query looks at Kafka once per wait instead of once per polling delay. Everything else is the
 * wrapped stream's.
 */
final class IdleWaitStream
    implements MicroBatchStream,
        SupportsTriggerAvailableNow,
        SupportsRealTimeMode,
        ReportsSourceMetrics {
  /** Waits for a committed record after given offsets. */
  interface Waiter extends AutoCloseable {
    /** Returns when a record after {@code offsets} is committed, or after {@code max}. */
    void await(String offsetsJson, Duration max);

    @Override
    void close();
  }

  private final MicroBatchStream stream;
  private final Waiter waiter;
  private final Duration idleWait;
  // why: an available-now query ends when it finds no new records, and a real-time one reads on
  // without asking; neither waits
  private volatile boolean noWait;

  IdleWaitStream(MicroBatchStream stream, Waiter waiter, Duration idleWait) {
    this.stream = stream;
    this.waiter = waiter;
    this.idleWait = idleWait;
  }

  @Override
  public Offset latestOffset(Offset start, ReadLimit limit) {
    SupportsAdmissionControl admission = (SupportsAdmissionControl) stream;
    Offset latest = admission.latestOffset(start, limit);
    if (noWait || idleWait.isZero() || start == null || !start.equals(latest)) return latest;
    waiter.await(start.json(), idleWait);
    // why: an interrupt (the query stopping) is left set; Spark's next sleep ends the query
    if (Thread.currentThread().isInterrupted()) return latest;
    return admission.latestOffset(start, limit);
  }

  @Override
  public void prepareForTriggerAvailableNow() {
    noWait = true;
    if (stream instanceof SupportsTriggerAvailableNow s) s.prepareForTriggerAvailableNow();
  }

  @Override
  public void prepareForRealTimeMode() {
    noWait = true;
    ((SupportsRealTimeMode) stream).prepareForRealTimeMode();
  }

  @Override
  public InputPartition[] planInputPartitions(Offset start) {
    return ((SupportsRealTimeMode) stream).planInputPartitions(start);
  }

  @Override
  public Offset mergeOffsets(PartitionOffset[] offsets) {
    return ((SupportsRealTimeMode) stream).mergeOffsets(offsets);
  }

  @Override
  public ReadLimit getDefaultReadLimit() {
    return ((SupportsAdmissionControl) stream).getDefaultReadLimit();
  }

  @Override
  public Offset reportLatestOffset() {
    return ((SupportsAdmissionControl) stream).reportLatestOffset();
  }

  @Override
  public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
    return stream instanceof ReportsSourceMetrics r ? r.metrics(latestConsumedOffset) : Map.of();
  }

  @Override
  public Offset latestOffset() {
    return stream.latestOffset();
  }

  @Override
  public InputPartition[] planInputPartitions(Offset start, Offset end) {
    return stream.planInputPartitions(start, end);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return stream.createReaderFactory();
  }

  @Override
  public Offset initialOffset() {
    return stream.initialOffset();
  }

  @Override
  public Offset deserializeOffset(String json) {
    return stream.deserializeOffset(json);
  }

  @Override
  public void commit(Offset end) {
    stream.commit(end);
  }

  @Override
  public void stop() {
    try {
      waiter.close();
    } finally {
      stream.stop();
    }
  }

  @Override
  public String toString() {
    return stream.toString();
  }
}
