package io.sluice.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.sluice.core.secrets.Masking;

/**
 * Logback's {@code %msg} with secrets masked by value ({@link Masking#inText}): a JAAS
 * configuration, a {@code password=} pair or a URL's password never reaches a log line, whoever
 * logged it. Registered in {@code logback.xml} as the {@code msg} conversion word.
 */
public final class MaskingMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Masking.inText(super.convert(event));
  }
}
