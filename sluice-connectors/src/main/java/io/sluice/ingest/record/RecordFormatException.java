package io.sluice.ingest.record;

/** A record value that cannot be decoded: malformed JSON or an unsupported schema version. */
public final class RecordFormatException extends RuntimeException {
  public RecordFormatException(String message) {
    super(message);
  }

  public RecordFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
