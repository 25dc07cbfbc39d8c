package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.junit.SluiceStackTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = Service.KAFKA)
class KafkaIT {
  @Test
  void consumerReadsWhatProducerWrote(LocalStack stack) throws Exception {
    String topic = "it-" + UUID.randomUUID();
    KafkaTestClients.createTopic(stack.kafkaBootstrap(), topic);
    try (var producer = KafkaTestClients.producer(stack.kafkaBootstrap())) {
      for (int i = 0; i < 10; i++)
        producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
    }
    List<String> values = KafkaTestClients.readAll(stack.kafkaBootstrap(), topic, 10);
    assertThat(values).containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
  }

  @Test
  void transactionalProducerCommitsOnOneNode(LocalStack stack) throws Exception {
    String topic = "it-tx-" + UUID.randomUUID();
    KafkaTestClients.createTopic(stack.kafkaBootstrap(), topic);
    Properties props = new Properties();
    props.putAll(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.kafkaBootstrap(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "tx-" + topic,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            30_000));
    try (var producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed"));
      producer.commitTransaction();
    }
    assertThat(KafkaTestClients.readAll(stack.kafkaBootstrap(), topic, 1))
        .containsExactly("committed");
  }

  @Test
  void aClientAskingForAMissingTopicDoesNotCreateIt(LocalStack stack) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    // why: the client asks for creation, as a console consumer does; the broker must refuse
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, true);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      assertThat(consumer.partitionsFor("nc_typo", Duration.ofSeconds(30))).isEmpty();
    }
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
      assertThat(admin.listTopics().names().get()).doesNotContain("nc_typo");
    }
  }
}

/** Small Kafka clients for the stack's tests. */
final class KafkaTestClients {
  private KafkaTestClients() {}

  /** Creates {@code topic} with one partition: the brokers create no topic on first use. */
  static void createTopic(String bootstrap, String topic) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
  }

  static KafkaProducer<String, String> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  /** Reads {@code expected} values of {@code topic} from the beginning, polling up to 30 s. */
  static List<String> readAll(String bootstrap, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200)))
          values.add(r.value());
      }
    }
    return values;
  }
}
