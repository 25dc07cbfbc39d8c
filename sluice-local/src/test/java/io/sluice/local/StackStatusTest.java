package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.StackStatus.ServiceStatus;
import io.sluice.local.junit.SluiceStackExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStatusTest {
  @TempDir Path dataDir;

  @Test
  void servicesWithNothingListeningAreDownAndOneThatListensIsUp() throws Exception {
    SluiceConfig config = SluiceStackExtension.testConfig(dataDir);
    try (ServerSocket kafka =
        new ServerSocket(config.get(Settings.KAFKA_PORT), 1, InetAddress.getLoopbackAddress())) {
      List<ServiceStatus> statuses = StackStatus.probe(config);

      assertThat(statuses)
          .extracting(s -> s.service().statusName(), ServiceStatus::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("kafka", "up"),
              org.assertj.core.groups.Tuple.tuple("cassandra", "down"),
              org.assertj.core.groups.Tuple.tuple("s3", "down"),
              org.assertj.core.groups.Tuple.tuple("metadata-db", "down"),
              org.assertj.core.groups.Tuple.tuple("api-simulator", "down"),
              org.assertj.core.groups.Tuple.tuple("schema-registry", "down"));
      assertThat(statuses.get(0).address())
          .isEqualTo("127.0.0.1:" + config.get(Settings.KAFKA_PORT));
      assertThat(statuses.get(0).dataDir())
          .isEqualTo(dataDir.toAbsolutePath().normalize().resolve("kafka"));
    }
  }

  @Test
  void externalServersAreProbedAtTheirConfiguredAddress() throws Exception {
    try (ServerSocket s3 = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SluiceConfig config =
          SluiceStackExtension.testConfig(dataDir)
              .with(Settings.S3_ENDPOINT, "http://127.0.0.1:" + s3.getLocalPort())
              .with(Settings.DB_URL, "jdbc:postgresql://127.0.0.1:1/sluice");

      List<ServiceStatus> statuses = StackStatus.probe(config);

      ServiceStatus s3Status = statuses.get(Service.S3.ordinal());
      assertThat(s3Status.up()).isTrue();
      assertThat(s3Status.external()).isTrue();
      assertThat(s3Status.address()).isEqualTo("127.0.0.1:" + s3.getLocalPort());
      assertThat(s3Status.dataDir()).isNull();
      ServiceStatus db = statuses.get(Service.METADATA_DB.ordinal());
      assertThat(db.address()).isEqualTo("127.0.0.1:1");
      assertThat(db.up()).isFalse();
    }
  }
}
