package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class MaskingMessageConverterTest {
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
