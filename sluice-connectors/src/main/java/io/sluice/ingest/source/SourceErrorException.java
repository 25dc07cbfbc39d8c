package io.sluice.ingest.source;

/**
 * The API answered with an error body ({@code {"error":"..."}} or {@code
 * {"error":true,"reason":"..."}}). Never retried, never turned into records.
 */
public final class SourceErrorException extends SourceException {
  private final int status;
  private final String reason;

  public SourceErrorException(String source, int status, String reason) {
    super(source + " answered with an error (HTTP " + status + "): " + reason);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }
}
