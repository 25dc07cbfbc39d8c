package io.sluice.web.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamJobsTest {
  @TempDir Path streams;

  @Test
  void restartsAndPidAreTheSupervisorsFromHealthJson() throws Exception {
    Path job = Files.createDirectories(streams.resolve("users"));
    Files.writeString(
        job.resolve("progress.json"),
        """
        {"job":"users","pid":1111,"updated_at":"2024-01-01T00:00:00Z","queries":{"q":{
          "name":"users-to-cassandra","status":"running","batch_id":7,
          "end_offsets":{"KafkaV2[Subscribe[users]]":"{}"}}}}
        """);
    Files.writeString(
        job.resolve("health.json"),
        """
        {"job":"users","state":"running","pid":2222,"restarts":3,"next_backoff_ms":4000}
        """);
    assertThat(StreamJobs.read(streams))
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q)
                  .containsEntry("job", "users")
                  .containsEntry("restarts", 3L)
                  .containsEntry("pid", 2222L)
                  .containsEntry("supervisor_state", "running")
                  .containsEntry("batch_id", 7L);
              assertThat(q.get("topics")).isEqualTo(java.util.List.of("users"));
            });
  }

  @Test
  void aJobWithoutHealthHasNoRestartsAndItsOwnPid() throws Exception {
    Path job = Files.createDirectories(streams.resolve("weather"));
    Files.writeString(
        job.resolve("progress.json"),
        """
        {"job":"weather","pid":1111,"queries":{"q":{"name":"hourly","status":"running"}}}
        """);
    assertThat(StreamJobs.read(streams))
        .singleElement()
        .satisfies(q -> assertThat(q).containsEntry("restarts", 0L).containsEntry("pid", 1111L));
  }
}
