package io.sluice.ingest.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records typed by hand, as Kafka's console producer does: key and headers as UTF-8, the
 * value already encoded by a {@link ValueEncoder}; acks=all with idempotence. {@code sluice topics
 * produce} and the web UI's Produce record dialog both write through it. Thread-safe.
 *
 * <pre>{@code
 * try (var producer = new RecordProducer("127.0.0.1:9092", Duration.ofSeconds(30))) {
 *   RecordProducer.Sent sent = producer.sendAndWait("users_created", "u1", Map.of(), value);
 * }
 * }</pre>
 */
public final class RecordProducer implements AutoCloseable {
  /** Where a record landed. */
  public record Sent(String topic, int partition, long offset, Instant timestamp) {}

  private final KafkaProducer<byte[], byte[]> producer;
  private final String bootstrap;

  /** A producer of the cluster at {@code bootstrap} that waits at most {@code timeout} on it. */
  public RecordProducer(String bootstrap, Duration timeout) {
    this.bootstrap = bootstrap;
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    // why: delivery.timeout.ms must be at least linger.ms + request.timeout.ms
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() + 1_000);
    this.producer = new KafkaProducer<>(p);
  }

  /** Sends one record; {@code key} may be null, {@code callback} hears of its outcome. */
  public Future<RecordMetadata> send(
      String topic, String key, Map<String, String> headers, byte[] value, Callback callback) {
    var record =
        new ProducerRecord<>(
            topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    headers.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    return producer.send(record, callback);
  }

  /**
   * Sends one record and waits until Kafka has it; an {@link IllegalStateException} names the
   * broker and Kafka's reason when it does not.
   */
  public Sent sendAndWait(String topic, String key, Map<String, String> headers, byte[] value) {
    try {
      RecordMetadata m = send(topic, key, headers, value, null).get();
      return new Sent(
          m.topic(),
          m.partition(),
          m.offset(),
          m.hasTimestamp() ? Instant.ofEpochMilli(m.timestamp()) : null);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrap + " refused the record: " + e.getCause().getMessage(),
          e.getCause());
    } catch (KafkaException e) {
      throw new IllegalStateException("Kafka at " + bootstrap + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Waits until every record sent so far is acknowledged or has failed. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
