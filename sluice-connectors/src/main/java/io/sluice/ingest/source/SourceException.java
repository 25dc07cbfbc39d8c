package io.sluice.ingest.source;

/** A source request that failed for good: an error body, a refused request or retries used up. */
public class SourceException extends RuntimeException {
  public SourceException(String message) {
    super(message);
  }

  public SourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
