package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyTest {
  @Test
  void smallProfileStartsOneNodeOfEachAndKeepsReplicationAtOne() {
    SluiceConfig config = SluiceConfig.defaults();
    Topology t = Topology.of(config);

    assertThat(t).isEqualTo(new Topology(1, 1, false, false));
    SluiceConfig replicated = t.replicated(config);
    assertThat(replicated.get(Settings.TOPIC_REPLICATION)).isEqualTo(1);
    assertThat(replicated.get(Settings.CASSANDRA_REPLICATION)).isEqualTo("SimpleStrategy:1");
  }

  @Test
  void seedsProfileIsThreeKafkaNodesThreeCassandraNodesAndAStandaloneSparkCluster() {
    SluiceConfig config = SluiceConfig.load(null, Map.of("SLUICE_PROFILE", "seeds"));
    Topology t = Topology.of(config);

    assertThat(t).isEqualTo(new Topology(3, 3, true, true));
    SluiceConfig replicated = t.replicated(config);
    assertThat(replicated.get(Settings.TOPIC_REPLICATION)).isEqualTo(3);
    assertThat(replicated.get(Settings.TOPIC_MIN_ISR)).isEqualTo(2);
    assertThat(replicated.get(Settings.CASSANDRA_REPLICATION)).isEqualTo("SimpleStrategy:3");
    assertThat(replicated.get(Settings.CASSANDRA_CONSISTENCY)).isEqualTo("QUORUM");
  }

  @Test
  void aSettingOverridesItsPartOfTheProfileAndAValueTheUserSetIsKept() {
    SluiceConfig config =
        SluiceConfig.load(
            null,
            Map.of(
                "SLUICE_PROFILE", "seeds",
                "SLUICE_SPARK_CLUSTER", "local",
                "SLUICE_KAFKA_NODES", "5",
                "SLUICE_TOPIC_MIN_ISR", "3"));
    Topology t = Topology.of(config);

    assertThat(t).isEqualTo(new Topology(5, 3, false, true));
    SluiceConfig replicated = t.replicated(config);
    assertThat(replicated.get(Settings.TOPIC_REPLICATION)).isEqualTo(3);
    assertThat(replicated.get(Settings.TOPIC_MIN_ISR)).isEqualTo(3);
  }

  @Test
  void kafkaNodesListenOnPortsAHundredApart() {
    SluiceConfig config = SluiceConfig.load(null, Map.of("SLUICE_KAFKA_NODES", "3"));
    Topology t = Topology.of(config);

    assertThat(t.kafkaPorts(config)).containsExactly(9092, 9192, 9292);
    assertThat(t.kafkaControllerPorts(config)).containsExactly(9093, 9193, 9293);
  }
}
