package io.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.SluiceConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  private static SluiceConfig partitions(int n) {
    return SluiceConfig.load(null, Map.of("SLUICE_TOPIC_PARTITIONS", Integer.toString(n)));
  }

  @Test
  void localStarGetsTwoSlotsPerTopicPartitionAtLeast() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(SparkSessions.localSlots(partitions(3), "local[*]"))
        .isEqualTo("local[" + Math.max(cores, 6) + "]");
    assertThat(SparkSessions.localSlots(partitions(1), "local[*]"))
        .isEqualTo("local[" + Math.max(cores, 2) + "]");
  }

  @Test
  void anExplicitMasterIsKept() {
    assertThat(SparkSessions.localSlots(partitions(3), "local[2]")).isEqualTo("local[2]");
    assertThat(SparkSessions.localSlots(partitions(3), "spark://host:7077"))
        .isEqualTo("spark://host:7077");
  }
}
