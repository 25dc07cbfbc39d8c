package io.sluice.ingest.source;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed attempt worth retrying: HTTP 429/5xx, a timeout, or a body that is not valid JSON. The
 * broken body, when there is one, is kept so that it can go to the dead-letter topic.
 */
public final class TransientSourceException extends SourceException {
  private final Duration retryAfter;
  private final byte[] body;

  public TransientSourceException(
      String message, Duration retryAfter, byte[] body, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter;
    this.body = body;
  }

  /** The server's {@code Retry-After}, when it sent one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The body of a 200 answer that could not be decoded; empty for other failures. */
  public Optional<byte[]> undecodableBody() {
    return Optional.ofNullable(body);
  }
}
