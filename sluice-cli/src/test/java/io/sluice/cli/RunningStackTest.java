package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command is a client of the stack whose {@code run/endpoints.json} names a live process. */
class RunningStackTest {
  @TempDir Path data;

  @AfterEach
  void forget() {
    for (String key : System.getProperties().stringPropertyNames())
      if (key.startsWith("sluice.config")) System.clearProperty(key);
  }

  private void endpoints(long pid) throws Exception {
    Files.createDirectories(data.resolve("run"));
    Files.writeString(
        data.resolve("run/endpoints.json"),
        """
        {"version": 1, "pid": %d, "started_at": "2024-01-01T00:00:00Z",
         "settings": {"source.randomuser-url": "http://127.0.0.1:1/api/",
                      "kafka.bootstrap": "127.0.0.1:2"}}
        """
            .formatted(pid));
    System.setProperty("sluice.config." + Settings.DATA_DIR.name(), data.toString());
  }

  @Test
  void theRunningStacksSimulatorIsTheSourceUnlessAUrlIsSet() throws Exception {
    endpoints(ProcessHandle.current().pid());
    assertThat(config())
        .contains("http://127.0.0.1:1/api/")
        .contains("local stack (pid " + ProcessHandle.current().pid())
        .contains("127.0.0.1:2");

    forget();
    endpoints(ProcessHandle.current().pid());
    System.setProperty(
        "sluice.config." + Settings.RANDOMUSER_URL.name(), "https://example.org/api/");
    assertThat(config()).contains("https://example.org/api/").doesNotContain("127.0.0.1:1/api");
  }

  @Test
  void withNoLiveStackThePublicApiIsInForceAndConfigSaysWhy() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    endpoints(gone.pid());
    assertThat(config())
        .doesNotContain("127.0.0.1:1/api")
        .contains("https://randomuser.me/api/")
        .contains("default: the public API, since no local stack runs from " + data);
  }

  private static String config() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertThat(SluiceCommand.execute("config", "--output", "json")).isZero();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
