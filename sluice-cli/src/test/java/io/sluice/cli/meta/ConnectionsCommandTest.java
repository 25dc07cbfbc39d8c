package io.sluice.cli.meta;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Connection;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectionsCommandTest {
  static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"alice\" password=\"jaas-secret-1\";";

  @Test
  void connectionsGetNeverPrintsAJaasPassword() {
    Connection c =
        new Connection(
            "sasl",
            "kafka",
            "https://u:url-secret-2@broker",
            9093,
            "alice",
            "plain-secret-3",
            null,
            Map.of("sasl.jaas.config", JAAS, "options", JAAS));
    for (OutputFormat format : OutputFormat.values()) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      PrintStream old = System.out;
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      try {
        Output.print(
            format, List.of(ConnectionsCommand.row(c, "stored")), ConnectionsCommand.COLUMNS);
      } finally {
        System.setOut(old);
      }
      String printed = buf.toString(StandardCharsets.UTF_8);
      assertThat(printed)
          .as(format.name())
          .contains("sasl")
          .doesNotContain("jaas-secret-1")
          .doesNotContain("url-secret-2")
          .doesNotContain("plain-secret-3");
    }
  }
}
