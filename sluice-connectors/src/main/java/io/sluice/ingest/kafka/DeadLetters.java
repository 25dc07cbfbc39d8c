package io.sluice.ingest.kafka;

import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds dead-letter records: the original bytes, with the stage, the error and the source. */
public final class DeadLetters {
  /** Largest value kept; bigger bodies are cut and flagged, to stay under Kafka's size limit. */
  static final int MAX_VALUE = 900 * 1024;

  private final String topic;
  private final String runId;

  public DeadLetters(String topic, String runId) {
    this.topic = topic;
    this.runId = runId;
  }

  public ProducerRecord<byte[], byte[]> record(
      String stage, String error, byte[] original, Object page, String url) {
    byte[] value = original;
    boolean cut = original != null && original.length > MAX_VALUE;
    if (cut) value = Arrays.copyOf(original, MAX_VALUE);
    var r = new ProducerRecord<byte[], byte[]>(topic, null, value);
    Headers.add(r, Headers.DLQ_STAGE, stage);
    Headers.add(r, Headers.DLQ_ERROR, error);
    Headers.add(r, Headers.DLQ_SOURCE_PAGE, page);
    Headers.add(r, Headers.DLQ_SOURCE_URL, url);
    Headers.add(r, Headers.RUN_ID, runId);
    if (cut) Headers.add(r, Headers.DLQ_VALUE_TRUNCATED, original.length);
    return r;
  }
}
