package io.sluice.web.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.time.VirtualClock;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline status samples the systems only while someone reads it. */
class WatchedSamplingTest {
  @TempDir Path dataDir;

  private final VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void samplesOnlyWithinAMinuteOfARead() throws IOException {
    String nobody = "127.0.0.1:" + closedPort();
    SluiceConfig config =
        SluiceConfig.defaults()
            .with(Settings.DATA_DIR, dataDir.toString(), "test")
            .with(Settings.KAFKA_BOOTSTRAP, nobody, "test")
            .with(Settings.CASSANDRA_CONTACT_POINTS, nobody, "test");
    try (PipelineStatus status = new PipelineStatus(config, clock)) {
      status.tick();
      assertThat(status.snapshot()).containsEntry("status", "starting");

      status.tick();
      Map<String, Object> read = status.snapshot();
      assertThat(read).containsEntry("updated_at", clock.instant());
      assertThat(kafka(read)).containsEntry("status", "down");

      Instant sampled = clock.instant();
      clock.advance(WatchedSampler.WATCHED_FOR);
      status.tick();
      assertThat(status.snapshot()).containsEntry("updated_at", sampled);

      status.tick();
      assertThat(status.snapshot()).containsEntry("updated_at", clock.instant());
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> kafka(Map<String, Object> snapshot) {
    return (Map<String, Object>) snapshot.get("kafka");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
