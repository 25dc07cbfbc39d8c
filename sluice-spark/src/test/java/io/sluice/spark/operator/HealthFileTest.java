package io.sluice.spark.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.time.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration BACKOFF = Duration.ofSeconds(5);
  @TempDir Path dir;
  private final VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final HealthFile health = new HealthFile("users", clock);

  @Test
  void writesWhatChangedAndNothingWhileNothingChanges() throws Exception {
    assertThat(health.update(dir, 42, "running", 0, BACKOFF)).isNull();
    JsonNode first = read();
    assertThat(first.path("state").asText()).isEqualTo("running");
    assertThat(first.path("pid").asLong()).isEqualTo(42);
    assertThat(first.path("progress").isNull()).isTrue();
    assertThat(first.path("updated_at").asText()).isEqualTo(clock.instant().toString());

    clock.advance(Duration.ofSeconds(1));
    health.update(dir, 42, "running", 0, BACKOFF);
    assertThat(read()).as("nothing changed: not rewritten").isEqualTo(first);

    clock.advance(Duration.ofSeconds(1));
    health.update(dir, 42, "restarting", 1, BACKOFF);
    assertThat(read().path("state").asText()).isEqualTo("restarting");
    assertThat(read().path("restarts").asInt()).isEqualTo(1);
    assertThat(read().path("updated_at").asText()).isEqualTo(clock.instant().toString());

    health.update(dir, 43, "running", 1, BACKOFF);
    assertThat(read().path("pid").asLong()).isEqualTo(43);
  }

  @Test
  void copiesTheJobsProgressEachTimeTheJobReplacesIt() throws Exception {
    writeProgress("{\"job\":\"users\",\"queries\":{\"q\":{\"batch_id\":1}}}");
    Map<String, Object> progress = health.update(dir, 42, "running", 0, BACKOFF);
    assertThat(progress).containsKey("queries");
    assertThat(read().path("progress").path("queries").path("q").path("batch_id").asInt())
        .isEqualTo(1);

    assertThat(health.update(dir, 42, "running", 0, BACKOFF))
        .as("the same file: the progress read before")
        .isSameAs(progress);

    writeProgress("{\"job\":\"users\",\"queries\":{\"q\":{\"batch_id\":2}}}");
    health.update(dir, 42, "running", 0, BACKOFF);
    assertThat(read().path("progress").path("queries").path("q").path("batch_id").asInt())
        .isEqualTo(2);

    Files.delete(dir.resolve("progress.json"));
    assertThat(health.update(dir, 42, "running", 0, BACKOFF)).isNull();
    assertThat(read().path("progress").isNull()).isTrue();
  }

  @Test
  void writesAgainAfterAFailedWrite() throws Exception {
    Files.createDirectory(dir.resolve("health.json.tmp"));
    health.update(dir, 42, "running", 0, BACKOFF);
    assertThat(dir.resolve("health.json")).doesNotExist();

    Files.delete(dir.resolve("health.json.tmp"));
    health.update(dir, 42, "running", 0, BACKOFF);
    assertThat(read().path("state").asText()).isEqualTo("running");
  }

  /** As the job does: a new file moved over the old one. */
  private void writeProgress(String json) throws Exception {
    Path tmp = dir.resolve("progress.json.tmp");
    Files.writeString(tmp, json);
    Files.move(
        tmp,
        dir.resolve("progress.json"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private JsonNode read() throws Exception {
    return JSON.readTree(dir.resolve("health.json").toFile());
  }
}
