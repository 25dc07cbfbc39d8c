package io.sluice.cli;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import io.sluice.core.secrets.Masking;

/**
 * Logback's {@link JsonEncoder} ({@code SLUICE_LOG_FORMAT=json}) with secrets masked by value
 * ({@link Masking#inText}), as {@link MaskingMessageConverter} masks the text format: the event's
 * message is written formatted and masked, and its raw arguments, which the plain encoder writes as
 * they are, are left out.
 */
public final class MaskingJsonEncoder extends JsonEncoder {
  public MaskingJsonEncoder() {
    setWithArguments(false);
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    LoggingEvent masked = new LoggingEvent();
    masked.setLoggerContextRemoteView(event.getLoggerContextVO());
    masked.setLoggerName(event.getLoggerName());
    masked.setLevel(event.getLevel());
    masked.setThreadName(event.getThreadName());
    masked.setInstant(event.getInstant());
    masked.setMessage(Masking.inText(event.getFormattedMessage()));
    masked.setMDCPropertyMap(event.getMDCPropertyMap());
    if (event.getThrowableProxy() instanceof ThrowableProxy t) masked.setThrowableProxy(t);
    return super.encode(masked);
  }
}
