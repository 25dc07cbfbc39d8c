package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.config.Settings;
import io.sluice.local.junit.SluiceStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartFailureIT {
  @TempDir Path dataDir;

  @Test
  void failedStartStopsWhatItStartedAndTheStackKeepsItsEarlierServers() throws Exception {
    var config = SluiceStackExtension.testConfig(dataDir);
    // a file where the S3 server wants its directory
    Files.writeString(dataDir.resolve("s3"), "in the way");

    try (LocalStack stack = LocalStack.start(config, EnumSet.of(Service.METADATA_DB))) {
      assertThatThrownBy(() -> stack.ensureStarted(EnumSet.of(Service.S3, Service.API_SIMULATOR)))
          .hasMessageContaining(dataDir.resolve("s3").toString());

      assertThat(Ports.isFree(config.get(LocalSettings.SIMULATOR_PORT))).isTrue();
      assertThat(Ports.isFree(config.get(Settings.S3_PORT))).isTrue();
      assertThat(stack.services()).containsExactly(Service.METADATA_DB);
      assertThat(Ports.isListening("127.0.0.1", config.get(Settings.DB_PORT), 1000)).isTrue();

      Files.delete(dataDir.resolve("s3"));
      stack.ensureStarted(EnumSet.of(Service.S3, Service.API_SIMULATOR));
      assertThat(stack.services())
          .containsExactlyInAnyOrder(Service.METADATA_DB, Service.S3, Service.API_SIMULATOR);
    }
  }
}
