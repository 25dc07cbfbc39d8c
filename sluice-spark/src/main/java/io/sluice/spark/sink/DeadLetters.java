package io.sluice.spark.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records that cannot be processed to the dead-letter topic, with the headers agreed for
 * {@code sluice.dlq}: the original bytes as value, {@code sluice.stage}, {@code sluice.error} and
 * the source topic, partition and offset. {@link #flush} returns only when Kafka acknowledged every
 * record, so a batch's offsets never advance past an unwritten dead letter. Used by one thread at a
 * time; the producer underneath is shared per JVM.
 */
public final class DeadLetters {
  /** Where a record failed. */
  public enum Stage {
    PARSE("parse"),
    VALIDATE("validate"),
    SINK("sink");

    private final String header;

    Stage(String header) {
      this.header = header;
    }

    public String header() {
      return header;
    }
  }

  private static final Map<String, KafkaProducer<byte[], byte[]>> PRODUCERS =
      new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> PRODUCERS.values().forEach(KafkaProducer::close), "dlq-close"));
  }

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final List<Future<RecordMetadata>> sent = new ArrayList<>();
  private long count;

  public DeadLetters(String bootstrap, String topic) {
    this.producer = PRODUCERS.computeIfAbsent(bootstrap, DeadLetters::producer);
    this.topic = topic;
  }

  /**
   * Creates this JVM's producer for {@code bootstrap} now, so that the first batch, which makes a
   * {@code DeadLetters} per partition, finds it made.
   */
  public static void warm(String bootstrap) {
    PRODUCERS.computeIfAbsent(bootstrap, DeadLetters::producer);
  }

  public void send(
      Stage stage,
      String error,
      String sourceTopic,
      int partition,
      long offset,
      byte[] key,
      byte[] value) {
    var headers = new RecordHeaders();
    headers.add("sluice.stage", utf8(stage.header()));
    headers.add("sluice.error", utf8(error == null ? "unknown error" : error));
    headers.add("sluice.source.topic", utf8(sourceTopic));
    headers.add("sluice.source.partition", utf8(Integer.toString(partition)));
    headers.add("sluice.source.offset", utf8(Long.toString(offset)));
    sent.add(producer.send(new ProducerRecord<>(topic, null, key, value, headers)));
    count++;
  }

  /** Blocks until Kafka acknowledged every record sent; returns how many were sent in total. */
  public long flush() {
    producer.flush();
    try {
      for (Future<RecordMetadata> f : sent) f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing dead letters", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "dead letters could not be written to " + topic + ": " + e.getCause().getMessage(),
          e.getCause());
    }
    sent.clear();
    return count;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-spark-dlq");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
