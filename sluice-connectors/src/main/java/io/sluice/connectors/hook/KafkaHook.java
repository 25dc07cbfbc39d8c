package io.sluice.connectors.hook;

import io.sluice.api.Connection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Turns a {@code kafka} connection into clients. The connection's {@code bootstrap.servers} extra
 * (or host and port) gives the brokers; every other extra key is passed on as a client property
 * ({@code security.protocol}, {@code sasl.mechanism}, ...).
 *
 * <pre>{@code
 * try (var producer = KafkaHook.of(conn).producer()) { ... }
 * }</pre>
 */
public final class KafkaHook {
  private final Map<String, Object> base;

  private KafkaHook(Map<String, Object> base) {
    this.base = base;
  }

  public static KafkaHook of(Connection connection) {
    var props = new HashMap<String, Object>(connection.extra());
    props.putIfAbsent(
        "bootstrap.servers",
        connection.host() + ":" + (connection.port() == null ? 9092 : connection.port()));
    return new KafkaHook(props);
  }

  public String bootstrapServers() {
    return String.valueOf(base.get("bootstrap.servers"));
  }

  /** Client properties: the connection's, overridden by {@code overrides}. */
  public Map<String, Object> properties(Map<String, Object> overrides) {
    var props = new HashMap<>(base);
    props.putAll(overrides);
    return props;
  }

  /** An idempotent producer with {@code acks=all}, byte-array keys and values. */
  public KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        properties(
            Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName())));
  }

  /** A {@code read_committed} consumer in {@code groupId}, reading from the earliest offset. */
  public KafkaConsumer<byte[], byte[]> consumer(String groupId) {
    var overrides = new HashMap<String, Object>();
    overrides.put(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    overrides.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    overrides.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    if (groupId != null) overrides.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    return new KafkaConsumer<>(properties(overrides));
  }

  public Admin admin() {
    return Admin.create(properties(Map.of()));
  }
}
