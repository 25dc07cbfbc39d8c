package io.sluice.spark.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CassandraSchemaTest {
  @Test
  void turnsReplicationSettingsIntoCqlMaps() {
    assertThat(CassandraSchema.replicationMap("SimpleStrategy:1"))
        .isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 1}");
    assertThat(CassandraSchema.replicationMap("NetworkTopologyStrategy:dc1=3,dc2=2"))
        .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}");
  }

  @Test
  void refusesNamesThatAreNotPlainIdentifiers() {
    assertThat(CassandraSchema.identifier("created_users")).isEqualTo("created_users");
    assertThatThrownBy(() -> CassandraSchema.identifier("users; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
