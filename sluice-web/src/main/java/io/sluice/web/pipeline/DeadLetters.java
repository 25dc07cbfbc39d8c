package io.sluice.web.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Browses the dead-letter topic and replays its records to the topic they came from (header {@code
 * sluice.source.topic}). Reads with a group-less consumer, so browsing commits nothing.
 */
public final class DeadLetters {
  private static final int MAX_VALUE_CHARS = 4000;

  private final String bootstrap;
  private final String topic;

  public DeadLetters(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-web-dlq");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The newest {@code limit} dead letters (all partitions), newest first. */
  public List<Map<String, Object>> browse(int limit) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(5)).stream()
              .map(pi -> new TopicPartition(topic, pi.partition()))
              .toList();
      if (parts.isEmpty()) return List.of();
      c.assign(parts);
      Map<TopicPartition, Long> ends = c.endOffsets(parts);
      Map<TopicPartition, Long> begins = c.beginningOffsets(parts);
      for (TopicPartition tp : parts) c.seek(tp, Math.max(begins.get(tp), ends.get(tp) - limit));
      List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && !caughtUp(c, parts, ends)) {
        c.poll(Duration.ofMillis(200)).forEach(got::add);
      }
      got.sort(
          Comparator.comparingLong((ConsumerRecord<byte[], byte[]> r) -> r.timestamp()).reversed());
      return got.stream().limit(limit).map(DeadLetters::view).toList();
    }
  }

  private static boolean caughtUp(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, Map<TopicPartition, Long> ends) {
    for (TopicPartition tp : parts) if (c.position(tp) < ends.get(tp)) return false;
    return true;
  }

  static Map<String, Object> view(ConsumerRecord<byte[], byte[]> r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("partition", r.partition());
    m.put("offset", r.offset());
    m.put("timestamp", Instant.ofEpochMilli(r.timestamp()));
    m.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers())
      headers.put(
          h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    m.put("headers", headers);
    m.put("stage", headers.get("sluice.stage"));
    m.put("error", headers.get("sluice.error"));
    m.put("source_topic", headers.get("sluice.source.topic"));
    String v = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
    m.put(
        "value",
        v != null && v.length() > MAX_VALUE_CHARS ? v.substring(0, MAX_VALUE_CHARS) + "…" : v);
    return m;
  }

  /**
   * Sends the dead letters at {@code [fromOffset, toOffset]} of one partition back to their source
   * topics, with their original key and value and a {@code sluice.replayed-from} header.
   *
   * @return how many records were replayed
   */
  public int replay(int partition, long fromOffset, long toOffset) {
    if (toOffset < fromOffset)
      throw new IllegalArgumentException("to_offset is before from_offset");
    if (toOffset - fromOffset >= 10_000)
      throw new IllegalArgumentException("replay at most 10000 records at once");
    TopicPartition tp = new TopicPartition(topic, partition);
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
    List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
        new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer();
        KafkaProducer<byte[], byte[]> p =
            new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
      int partitions = c.partitionsFor(topic, Duration.ofSeconds(5)).size();
      if (partition < 0 || partition >= partitions)
        throw new IllegalArgumentException(
            "partition " + partition + " does not exist; " + topic + " has " + partitions);
      c.assign(List.of(tp));
      long begin = c.beginningOffsets(List.of(tp)).get(tp);
      long end = c.endOffsets(List.of(tp)).get(tp);
      if (fromOffset < begin || fromOffset >= end)
        throw new IllegalArgumentException(
            "offset "
                + fromOffset
                + " is not in partition "
                + partition
                + " (offsets "
                + begin
                + " to "
                + (end - 1)
                + ")");
      long last = Math.min(toOffset, end - 1);
      c.seek(tp, fromOffset);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (c.position(tp) <= last && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() > last) break;
          Header src = r.headers().lastHeader("sluice.source.topic");
          if (src == null || src.value() == null) continue;
          ProducerRecord<byte[], byte[]> out =
              new ProducerRecord<>(
                  new String(src.value(), StandardCharsets.UTF_8), r.key(), r.value());
          for (Header h : r.headers()) if (!h.key().startsWith("sluice.")) out.headers().add(h);
          out.headers()
              .add(
                  "sluice.replayed-from",
                  (topic + "/" + partition + "/" + r.offset()).getBytes(StandardCharsets.UTF_8));
          sent.add(p.send(out));
        }
      }
      p.flush();
      // why: a replay is reported as done only when every record is written
      for (var f : sent) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new org.apache.kafka.common.KafkaException(
              "a replayed record was not written: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new org.apache.kafka.common.KafkaException("interrupted while replaying", e);
        }
      }
    }
    return sent.size();
  }
}
