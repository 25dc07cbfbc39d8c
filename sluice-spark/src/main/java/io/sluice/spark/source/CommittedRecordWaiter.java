package io.sluice.spark.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a committed record after given offsets with a consumer of its own (no group, nothing
 * committed), positioned at those offsets: its fetch is held by the broker until the last stable
 * offset moves past them, or the wait ends. Used by one stream's thread; closed by it.
 */
final class CommittedRecordWaiter implements IdleWaitStream.Waiter {
  private static final Logger log = LoggerFactory.getLogger(CommittedRecordWaiter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How much longer than the wait the waiting fetch may take before the client gives it up. */
  static final Duration REQUEST_TIMEOUT_MARGIN = Duration.ofSeconds(10);

  private final Map<String, Object> settings;
  private KafkaConsumer<byte[], byte[]> consumer;

  /**
   * @param settings the source's Kafka consumer settings (bootstrap servers, security); the
   *     waiter's own fetch settings replace theirs
   */
  CommittedRecordWaiter(Map<String, Object> settings) {
    this.settings = new HashMap<>(settings);
  }

  @Override
  public void await(String offsetsJson, Duration max) {
    Map<TopicPartition, Long> offsets = offsets(offsetsJson);
    if (offsets.isEmpty()) return;
    try {
      KafkaConsumer<byte[], byte[]> c = consumer(max);
      c.assign(offsets.keySet());
      offsets.forEach(c::seek);
      c.poll(max);
    } catch (InterruptException e) {
      Thread.currentThread().interrupt();
    } catch (KafkaException e) {
      // why: a failed wait only costs the query a look at Kafka sooner; the source reports errors
      log.debug("waiting for records after {}: {}", offsetsJson, e.toString());
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(Duration max) {
    if (consumer == null) {
      Map<String, Object> c = new HashMap<>(settings);
      c.remove(ConsumerConfig.GROUP_ID_CONFIG);
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
      c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) max.toMillis());
      // why: the broker holds the fetch up to the wait; the request must not time out first
      c.put(
          ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
          (int) max.plus(REQUEST_TIMEOUT_MARGIN).toMillis());
      c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
      c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024);
      c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024);
      c.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-idle-wait-" + System.identityHashCode(this));
      c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(c);
    }
    return consumer;
  }

  /** The partitions and offsets of a Kafka source offset, {@code {"topic":{"0":12}}}. */
  static Map<TopicPartition, Long> offsets(String json) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    try {
      for (Map.Entry<String, JsonNode> topic : JSON.readTree(json).properties()) {
        for (Map.Entry<String, JsonNode> p : topic.getValue().properties()) {
          offsets.put(
              new TopicPartition(topic.getKey(), Integer.parseInt(p.getKey())),
              p.getValue().asLong());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      log.debug("not a Kafka source offset: {}", json);
      return Map.of();
    }
    return offsets;
  }

  @Override
  public void close() {
    if (consumer == null) return;
    try {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
    } catch (RuntimeException e) {
      log.debug("closing the idle-wait consumer: {}", e.toString());
    }
    consumer = null;
  }
}
