package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

/** Both log formats of the CLI ({@code SLUICE_LOG_FORMAT}) mask secrets by value. */
class MaskingMessageConverterTest {
  private static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required"
          + " username=\"alice\" password=\"jaas-secret-1\";";

  @Test
  void aJaasPasswordNeverReachesAJsonLogLine() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    LoggingEvent event =
        new LoggingEvent(
            "test",
            context.getLogger("io.sluice.test"),
            Level.INFO,
            "connecting with {}",
            null,
            new Object[] {JAAS});
    MaskingJsonEncoder encoder = new MaskingJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    String line = new String(encoder.encode(event), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(line)
        .contains("connecting with")
        .contains("username=\\\"alice\\\"")
        .doesNotContain("jaas-secret-1");
  }

  @Test
  void aJaasPasswordNeverReachesALogLine() {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent(
            "test",
            context.getLogger("io.sluice.test"),
            Level.INFO,
            "connecting with {}",
            null,
            new Object[] {
              "org.apache.kafka.common.security.plain.PlainLoginModule required"
                  + " username=\"alice\" password=\"jaas-secret-1\";"
            });
    String line = new MaskingMessageConverter().convert(event);
    assertThat(line).contains("username=\"alice\"").doesNotContain("jaas-secret-1");
  }
}
