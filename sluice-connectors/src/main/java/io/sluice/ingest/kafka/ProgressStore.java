package io.sluice.ingest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Ingest progress kept in a compacted Kafka topic: the position of a job is written in the same
 * transaction as the records it covers, so it is committed exactly when they are. Reading uses
 * {@code read_committed}.
 */
public final class ProgressStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String bootstrap;
  private final String topic;

  public ProgressStore(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  /** Last committed progress of a job: the index of the next item to ingest. */
  public Optional<Long> read(String jobKey) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    byte[] key = jobKey.getBytes(StandardCharsets.UTF_8);
    Long next = null;
    try (var consumer = new KafkaConsumer<byte[], byte[]>(p)) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline)
          throw new IllegalStateException("cannot read progress topic " + topic + " to its end");
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() != null && Arrays.equals(r.key(), key) && r.value() != null)
            next = JSON.readTree(r.value()).path("next_index").asLong();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("unreadable progress record in " + topic, e);
    }
    return Optional.ofNullable(next);
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
    for (var e : end.entrySet()) if (consumer.position(e.getKey()) < e.getValue()) return false;
    return true;
  }

  /** The record that marks items before {@code nextIndex} as done, for the page's transaction. */
  public ProducerRecord<byte[], byte[]> record(
      String jobKey, long nextIndex, int page, String runId) {
    ObjectNode v = JSON.createObjectNode();
    v.put("schema_version", 1);
    v.put("job", jobKey);
    v.put("next_index", nextIndex);
    v.put("page", page);
    v.put("run_id", runId);
    v.put("updated_at", Instant.now().toString());
    try {
      return new ProducerRecord<>(
          topic, jobKey.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(v));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode parse(byte[] value) throws IOException {
    return JSON.readTree(value);
  }
}
