package io.sluice.ingest.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes batches of records, one Kafka transaction per batch, committed only after every record
 * of the batch is acknowledged. Opening it fences any earlier producer with the same transactional
 * id and aborts its open transaction, so a restarted run starts from committed state only. Not
 * thread-safe: one publisher per ingest run.
 */
public final class TransactionalPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalPublisher.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String transactionalId;

  public TransactionalPublisher(Map<String, Object> producerConfig) {
    this.transactionalId = String.valueOf(producerConfig.get("transactional.id"));
    this.producer = new KafkaProducer<>(producerConfig);
    this.producer.initTransactions();
  }

  public String transactionalId() {
    return transactionalId;
  }

  /**
   * Fetches the partitions of {@code topics} now, so that the first record sent to each does not
   * wait for them; a new topic's first send otherwise waited up to 100 ms for its metadata.
   */
  public void prefetchMetadata(List<String> topics) {
    for (String topic : topics) producer.partitionsFor(topic);
  }

  /**
   * Sends all records in one transaction and commits it once all are acknowledged.
   *
   * @throws ProducerFencedException a newer run with the same transactional id took over
   * @throws KafkaException the transaction was aborted; nothing of it is visible to read_committed
   */
  public void publish(List<ProducerRecord<byte[], byte[]>> records) {
    producer.beginTransaction();
    try {
      List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
      for (var r : records) acks.add(producer.send(r));
      producer.flush();
      for (Future<RecordMetadata> ack : acks) ack.get();
      producer.commitTransaction();
    } catch (ProducerFencedException
        | OutOfOrderSequenceException
        | AuthorizationException
        | UnsupportedVersionException e) {
      throw e;
    } catch (ExecutionException e) {
      abortQuietly();
      Throwable cause = e.getCause();
      throw new KafkaException(
          "a record of the transaction was not acknowledged: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      abortQuietly();
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while publishing", e);
    } catch (KafkaException e) {
      abortQuietly();
      throw e;
    }
  }

  private void abortQuietly() {
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      LOG.debug("abort of transaction {} failed", transactionalId, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
