package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.local.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaClusterIT {
  @Test
  void threeNodeClusterKeepsAcceptingAndServingRecordsAfterTheLeaderIsKilled() throws Exception {
    Path dir = Files.createTempDirectory("sluice-kafka-cluster-");
    int[] ports = Ports.free(6);
    List<Integer> brokerPorts = List.of(ports[0], ports[1], ports[2]);
    List<Integer> controllerPorts = List.of(ports[3], ports[4], ports[5]);
    String topic = "cluster-it";
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, brokerPorts, controllerPorts)) {
      assertThat(kafka.size()).isEqualTo(3);
      assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin
            .createTopics(
                List.of(
                    new NewTopic(topic, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
            .all()
            .get();
        assertThat(admin.describeCluster().nodes().get()).hasSize(3);
      }
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 100; i++) producer.send(new ProducerRecord<>(topic, "k", "v" + i));
        producer.flush();
        int leader = leaderOf(kafka, topic);

        kafka.kill(leader);

        assertThat(kafka.runningNodeIds()).hasSize(2).doesNotContain(leader);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 100; i < 200; i++)
          acks.add(producer.send(new ProducerRecord<>(topic, "k", "v" + i)));
        for (Future<RecordMetadata> ack : acks) ack.get();
        assertThat(leaderOf(kafka, topic)).isNotEqualTo(leader);
      }
      List<String> values = KafkaTestClients.readAll(kafka.bootstrapServers(), topic, 200);
      assertThat(values).hasSize(200);
      assertThat(values.get(0)).isEqualTo("v0");
      assertThat(values.get(199)).isEqualTo("v199");
    } finally {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static int leaderOf(EmbeddedKafka kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .get(0)
          .leader()
          .id();
    }
  }
}
