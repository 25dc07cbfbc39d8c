package io.sluice.ingest.kafka;

import io.sluice.records.ConfluentWire;
import io.sluice.records.RecordReader;
import io.sluice.records.registry.SchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka's topics and records as a Kafka UI shows them: topics with their partitions, replicas,
 * offsets and configuration, and a page of one partition's records from an offset or a time, each
 * value decoded (Avro through the schema registry, JSON as it is), and a test record written by
 * hand. Reads assign partitions and have no group id, so browsing never joins a consumer group nor
 * commits an offset. Each call opens its own clients; thread-safe.
 *
 * <pre>{@code
 * var browser = new TopicBrowser("127.0.0.1:9092", registry, Duration.ofSeconds(5));
 * var page = browser.records("users_created", 0, 0L, null, null, 50);
 * }</pre>
 */
public final class TopicBrowser {
  /** A topic at a glance. */
  public record Topic(String name, int partitions, int replicationFactor, long records) {}

  /** One partition: its leader, replicas, in-sync replicas and first and next offsets. */
  public record Partition(
      int partition,
      Integer leader,
      List<Integer> replicas,
      List<Integer> isr,
      long begin,
      long end) {}

  /** A topic in detail, with its configuration entries (name to value, Kafka's defaults too). */
  public record Detail(String name, List<Partition> partitions, Map<String, String> config) {}

  /**
   * One record as text: {@code format} is {@code avro} (with its {@code schemaId}), {@code json} or
   * {@code text}; {@code error} says why a value could not be decoded (its text is then raw).
   */
  public record Record(
      int partition,
      long offset,
      Instant timestamp,
      String key,
      Map<String, String> headers,
      String value,
      String format,
      Integer schemaId,
      String error) {}

  /** A page of records and the offset the next page starts at. */
  public record Page(
      String topic, int partition, List<Record> records, long nextOffset, long end) {}

  private final String bootstrap;
  private final SchemaRegistry registry;
  private final Duration timeout;

  /** A browser of the cluster at {@code bootstrap}; {@code registry} may be null (no Avro). */
  public TopicBrowser(String bootstrap, SchemaRegistry registry, Duration timeout) {
    this.bootstrap = bootstrap;
    this.registry = registry;
    this.timeout = timeout;
  }

  /** Every topic but Kafka's internal ones, sorted by name, with its record count. */
  public List<Topic> topics() {
    try (Admin admin = admin()) {
      var names = await(admin.listTopics().names());
      if (names.isEmpty()) return List.of();
      var described = await(admin.describeTopics(names).allTopicNames());
      List<TopicPartition> parts = new ArrayList<>();
      described.values().forEach(d -> d.partitions().forEach(p -> parts.add(tp(d, p.partition()))));
      Map<TopicPartition, Long> begins = offsets(admin, parts, OffsetSpec.earliest());
      Map<TopicPartition, Long> ends = offsets(admin, parts, OffsetSpec.latest());
      List<Topic> topics = new ArrayList<>();
      for (TopicDescription d : described.values()) {
        long records = 0;
        for (var p : d.partitions())
          records += ends.get(tp(d, p.partition())) - begins.get(tp(d, p.partition()));
        int rf = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
        topics.add(new Topic(d.name(), d.partitions().size(), rf, records));
      }
      topics.sort(Comparator.comparing(Topic::name));
      return topics;
    }
  }

  /** The topic's partitions and configuration; an {@link IllegalArgumentException} if missing. */
  public Detail topic(String name) {
    try (Admin admin = admin()) {
      TopicDescription d = describe(admin, name);
      List<TopicPartition> parts = new ArrayList<>();
      d.partitions().forEach(p -> parts.add(tp(d, p.partition())));
      Map<TopicPartition, Long> begins = offsets(admin, parts, OffsetSpec.earliest());
      Map<TopicPartition, Long> ends = offsets(admin, parts, OffsetSpec.latest());
      List<Partition> partitions = new ArrayList<>();
      for (var p : d.partitions())
        partitions.add(
            new Partition(
                p.partition(),
                p.leader() == null || p.leader().isEmpty() ? null : p.leader().id(),
                p.replicas().stream().map(Node::id).toList(),
                p.isr().stream().map(Node::id).toList(),
                begins.get(tp(d, p.partition())),
                ends.get(tp(d, p.partition()))));
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
      Config config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
      Map<String, String> entries = new LinkedHashMap<>();
      config.entries().stream()
          .sorted(Comparator.comparing(e -> e.name()))
          .forEach(e -> entries.put(e.name(), e.value()));
      return new Detail(name, partitions, entries);
    }
  }

  /**
   * Up to {@code limit} committed records of one partition, from {@code offset}, or from the first
   * record at or after {@code time}, or from the partition's start when both are null; with a
   * {@code key}, only the records whose key is that text (reading on until {@code limit} of them,
   * the partition's end or the timeout).
   */
  public Page records(
      String topic, int partition, Long offset, Instant time, String key, int limit) {
    TopicPartition tp = new TopicPartition(topic, partition);
    try (Admin admin = admin()) {
      TopicDescription d = describe(admin, topic);
      if (d.partitions().stream().noneMatch(p -> p.partition() == partition))
        throw new IllegalArgumentException(
            "topic "
                + topic
                + " has no partition "
                + partition
                + " (0.."
                + (d.partitions().size() - 1)
                + ")");
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.assign(List.of(tp));
      long begin = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
      long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
      long start = start(consumer, tp, offset, time, begin, end);
      consumer.seek(tp, start);
      List<Record> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < limit && consumer.position(tp) < end && System.nanoTime() < deadline)
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)))
          if (records.size() < limit && (key == null || key.equals(text(r.key()))))
            records.add(record(r));
      // why: the position passes transaction markers and aborted records, which no record shows
      long next =
          records.size() >= limit
              ? records.get(records.size() - 1).offset() + 1
              : consumer.position(tp);
      return new Page(topic, partition, records, next, end);
    }
  }

  private long start(
      KafkaConsumer<byte[], byte[]> consumer,
      TopicPartition tp,
      Long offset,
      Instant time,
      long begin,
      long end) {
    if (offset != null) return Math.max(begin, Math.min(end, offset));
    if (time == null) return begin;
    var found = consumer.offsetsForTimes(Map.of(tp, time.toEpochMilli()), timeout).get(tp);
    return found == null ? end : found.offset();
  }

  private Record record(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) headers.put(h.key(), text(h.value()));
    byte[] v = r.value();
    boolean avro = ConfluentWire.framed(v);
    String format =
        v == null ? null : avro ? "avro" : RecordReader.looksLikeJson(v) ? "json" : "text";
    String value;
    String error = null;
    try {
      value = v == null ? null : RecordReader.toText(v, avro ? registry : null);
      if (avro && registry == null) error = "no schema registry configured; shown as raw bytes";
    } catch (RuntimeException e) {
      value = text(v);
      error = e.getMessage();
    }
    return new Record(
        r.partition(),
        r.offset(),
        r.timestamp() < 0 ? null : Instant.ofEpochMilli(r.timestamp()),
        r.key() == null ? null : text(r.key()),
        headers,
        value,
        format,
        avro ? ConfluentWire.schemaId(v) : null,
        error);
  }

  /** A record written by {@link #produce}: where it landed, and how its value was written. */
  public record Produced(RecordProducer.Sent sent, String format, Integer schemaId) {}

  /**
   * Writes one record to {@code topic}, which must exist (an {@link IllegalArgumentException} if
   * not; it is never created): a JSON value as Avro with the latest schema of the topic's value
   * subject when it has one (an {@link IllegalArgumentException} with Avro's reason when the JSON
   * does not match it), any other value as UTF-8 text; through the same {@link ValueEncoder} and
   * {@link RecordProducer} as {@code sluice topics produce}.
   */
  public Produced produce(String topic, String key, Map<String, String> headers, String value) {
    try (Admin admin = admin()) {
      describe(admin, topic);
    }
    ValueEncoder values =
        registry == null
            ? ValueEncoder.of(null, topic, ValueEncoder.Format.TEXT, null)
            : ValueEncoder.of(registry, topic, ValueEncoder.Format.AVRO_OR_TEXT, null);
    byte[] bytes = values.encode(value);
    try (RecordProducer producer = new RecordProducer(bootstrap, timeout)) {
      return new Produced(
          producer.sendAndWait(topic, key, headers, bytes), values.format(), values.schemaId());
    }
  }

  /** Runs {@code work} with the cluster's consumer groups (lag, members), then closes them. */
  public <T> T withGroups(Function<ConsumerGroups, T> work) {
    try (Admin admin = admin()) {
      return work.apply(new ConsumerGroups(admin, timeout));
    }
  }

  private TopicDescription describe(Admin admin, String name) {
    try {
      return await(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException)
        throw new IllegalArgumentException("no topic " + name);
      throw e;
    }
  }

  private Map<TopicPartition, Long> offsets(
      Admin admin, List<TopicPartition> parts, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
    parts.forEach(p -> request.put(p, spec));
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    if (request.isEmpty()) return out;
    await(admin.listOffsets(request).all()).forEach((p, info) -> out.put(p, info.offset()));
    return out;
  }

  private <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw unreachable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private IllegalStateException unreachable() {
    return new IllegalStateException(
        "Kafka at " + bootstrap + " did not answer within " + timeout.toSeconds() + " s");
  }

  private Admin admin() {
    int ms = (int) timeout.toMillis();
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms));
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // why: no group.id: a browser must never join a group nor commit an offset
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-topic-browser");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static TopicPartition tp(TopicDescription d, int partition) {
    return new TopicPartition(d.name(), partition);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
