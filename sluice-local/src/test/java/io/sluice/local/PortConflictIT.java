package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.config.Settings;
import io.sluice.local.junit.SluiceStackExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortConflictIT {
  @TempDir Path dataDir;

  @Test
  void takenPortIsAClearErrorNamingThePortTheServiceAndTheSetting() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = squatter.getLocalPort();
      var config =
          SluiceStackExtension.testConfig(dataDir).with(Settings.KAFKA_PORT, String.valueOf(port));

      assertThatThrownBy(() -> LocalStack.start(config, EnumSet.of(Service.KAFKA, Service.S3)))
          .isInstanceOf(LocalStackException.class)
          .hasMessageContaining("port " + port + " for kafka")
          .hasMessageContaining("already in use")
          .hasMessageContaining("SLUICE_KAFKA_PORT");
    }
  }

  @Test
  void nothingStartsWhenAPortIsTaken() throws Exception {
    var config = SluiceStackExtension.testConfig(dataDir);
    try (ServerSocket squatter =
        new ServerSocket(config.get(Settings.DB_PORT), 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () -> LocalStack.start(config, EnumSet.of(Service.S3, Service.METADATA_DB)))
          .hasMessageContaining("metadata-db");
    }
    // the S3 port was checked, not bound: it is still free for the next start
    org.assertj.core.api.Assertions.assertThat(Ports.isFree(config.get(Settings.S3_PORT))).isTrue();
  }
}
