package io.sluice.ingest.kafka;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Client settings derived from the Sluice configuration. */
public final class KafkaSettings {
  private KafkaSettings() {}

  /** The configured bootstrap servers, or the embedded broker's address on this host. */
  public static String bootstrap(SluiceConfig config) {
    return config
        .find(Settings.KAFKA_BOOTSTRAP)
        .filter(s -> !s.isBlank())
        .orElse("127.0.0.1:" + config.get(Settings.KAFKA_PORT));
  }

  /** A transactional, idempotent producer of byte keys and values, tuned for throughput. */
  public static Map<String, Object> transactionalProducer(
      SluiceConfig config, String transactionalId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(config));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    // why: the first records of a transaction that follows a commit at once are refused with
    // CONCURRENT_TRANSACTIONS while the broker still writes the previous one's markers, and are
    // retried after this backoff (100 ms by default: most of a page's time); it doubles up to
    // retry.backoff.max.ms with each refusal
    p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
    // why: while the first batch of a transaction is refused with CONCURRENT_TRANSACTIONS, the
    // batches in flight behind it are refused as out of order; each refusal doubles a batch's
    // backoff, and with the default cap of 1 s a wait of a few tens of milliseconds for the
    // markers became a stall of up to a second before the last of them was sent again.
    // Reconnecting to a broker that is away keeps its own backoff (reconnect.backoff.max.ms)
    p.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100);
    String compression = config.get(Settings.TOPIC_COMPRESSION);
    p.put(
        ProducerConfig.COMPRESSION_TYPE_CONFIG,
        compression.equals("producer") ? "none" : compression);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    return p;
  }
}
