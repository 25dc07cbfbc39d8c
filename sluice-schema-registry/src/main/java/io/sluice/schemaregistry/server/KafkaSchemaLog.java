package io.sluice.schemaregistry.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SchemaLog} in a compacted, single-partition Kafka topic ({@code _schemas}).
 *
 * <p>Every instance on the topic writes with the same transactional id. Initialising a producer
 * with it fences the producer of any other instance, so a commit succeeds only if no other instance
 * initialised since this one did; and everything the others committed before that is read (with
 * {@code read_committed}) before this instance decides what to write. Writes are therefore decided
 * one at a time against the whole log: two instances never hand out the same id or version for
 * different schemas.
 */
public final class KafkaSchemaLog implements SchemaLog {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrap;
  private final String topic;
  private final TopicPartition partition;
  private final KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> producer;
  // why: commitTransaction returns before the commit markers are written, so the topic's end (its
  // last stable offset) can still be behind this instance's own last write; reading "to the end"
  // must also reach past it, or the next decision is made without it (and reuses its id)
  private long writtenEnd = 0;

  private KafkaSchemaLog(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.consumer = new KafkaConsumer<>(consumerProperties(bootstrap));
    consumer.assign(List.of(partition));
    consumer.seekToBeginning(List.of(partition));
  }

  /**
   * Creates {@code topic} when it is missing (compacted, one partition, replicated up to three
   * times) and opens it.
   */
  public static KafkaSchemaLog open(String bootstrap, String topic) {
    ensureTopic(bootstrap, topic);
    KafkaSchemaLog log = new KafkaSchemaLog(bootstrap, topic);
    try {
      log.producer = log.newProducer();
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  @Override
  public void readToEnd(Consumer<Entry> apply) {
    try {
      long end =
          Math.max(
              consumer.endOffsets(List.of(partition), READ_TIMEOUT).get(partition), writtenEnd);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (consumer.position(partition, READ_TIMEOUT) < end) {
        if (System.nanoTime() > deadline)
          throw new RegistryException(50002, "Timed out reading " + topic + " to offset " + end);
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)))
          apply.accept(new Entry(r.key(), r.value()));
      }
    } catch (KafkaException e) {
      throw RegistryException.backend("cannot read " + topic + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean appendIfCurrent(List<Entry> entries) {
    try {
      producer.beginTransaction();
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (Entry e : entries)
        sent.add(producer.send(new ProducerRecord<>(topic, 0, e.key(), e.value())));
      producer.commitTransaction();
      for (Future<RecordMetadata> f : sent) writtenEnd = Math.max(writtenEnd, offsetOf(f) + 1);
      return true;
    } catch (KafkaException e) {
      // why: fenced by another instance (or failed): a new producer fences it in turn, and the
      // caller re-reads the log before deciding again, so the decision is made on the whole log
      LOG.debug("write to {} not committed, deciding again: {}", topic, e.toString());
      producer.close(Duration.ZERO);
      producer = newProducer();
      return false;
    }
  }

  private static long offsetOf(Future<RecordMetadata> sent) {
    try {
      return sent.get().offset();
    } catch (ExecutionException e) {
      throw new KafkaException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException(e);
    }
  }

  @Override
  public void close() {
    if (producer != null) producer.close(Duration.ofSeconds(5));
    consumer.close(Duration.ofSeconds(5));
  }

  private KafkaProducer<String, String> newProducer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sluice-schema-registry-" + topic);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    KafkaProducer<String, String> created = new KafkaProducer<>(p);
    try {
      created.initTransactions();
    } catch (KafkaException e) {
      created.close(Duration.ZERO);
      throw RegistryException.backend("cannot write to " + topic + ": " + e.getMessage(), e);
    }
    return created;
  }

  private static Properties consumerProperties(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return p;
  }

  private static void ensureTopic(String bootstrap, String topic) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) bootstrap))) {
      int brokers = admin.describeCluster().nodes().get().size();
      short replicas = (short) Math.max(1, Math.min(3, brokers));
      NewTopic t =
          new NewTopic(topic, 1, replicas)
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      admin.createTopics(List.of(t)).all().get();
      LOG.info("created the schema registry's topic {} ({} replicas)", topic, replicas);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException))
        throw RegistryException.backend("cannot create " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.backend("interrupted while creating " + topic, e);
    }
  }
}
