package io.sluice.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
  @Test
  void singleNodeKeepsOneReplicaOfEverythingAndItsControlledShutdown() {
    Properties p =
        EmbeddedKafka.nodeProperties(1, 1, "1@127.0.0.1:9093", Path.of("/tmp/k"), 9092, 9093);

    assertThat(p.getProperty("node.id")).isEqualTo("1");
    assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
    assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
    assertThat(p.getProperty("min.insync.replicas")).isEqualTo("1");
    assertThat(p).doesNotContainKey("controlled.shutdown.enable");
  }

  @Test
  void clusterNodesReplicateInternalTopicsThreeTimesAndStopAsACrashWould() {
    String voters = "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097";
    Properties p = EmbeddedKafka.nodeProperties(2, 3, voters, Path.of("/tmp/k"), 9094, 9095);

    assertThat(p.getProperty("node.id")).isEqualTo("2");
    assertThat(p.getProperty("controller.quorum.voters")).isEqualTo(voters);
    assertThat(p.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095");
    assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("3");
    assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("3");
    assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("2");
    assertThat(p.getProperty("default.replication.factor")).isEqualTo("3");
    assertThat(p.getProperty("min.insync.replicas")).isEqualTo("2");
    assertThat(p.getProperty("controlled.shutdown.enable")).isEqualTo("false");
  }
}
