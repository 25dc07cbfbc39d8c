package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrBreakdownTest {
  @TempDir Path dir;

  @Test
  void putsTheSamplesOfAHashingLoopInTheCryptoComponent() throws Exception {
    String out = "";
    // why: JFR samples every 10-20 ms; on a busy machine a short recording may catch no sample
    for (int attempt = 0; attempt < 5 && !out.contains("| HMAC / crypto (JDK) |"); attempt++) {
      Path file = dir.resolve("r" + attempt + ".jfr");
      try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
        r.start();
        hashFor(1_000);
        r.stop();
        r.dump(file);
      }
      JfrBreakdown b = new JfrBreakdown(10, null);
      try (RecordingFile f = new RecordingFile(file)) {
        while (f.hasMoreEvents()) b.accept(f.readEvent());
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      b.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), file.toString());
      out = bytes.toString(StandardCharsets.UTF_8);
    }

    assertThat(out)
        .contains("Execution samples (threads running Java code)")
        .contains("| HMAC / crypto (JDK) |")
        .contains("Calls into HMAC / crypto (JDK)")
        .contains("Garbage collection:");
  }

  private static void hashFor(long millis) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] data = new byte[4096];
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) data[0] ^= sha.digest(data)[0];
  }
}
