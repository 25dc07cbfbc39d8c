package io.sluice.schemaregistry.client;

/** A registry's refusal (with Confluent's error code) or an unreachable registry (status 0). */
public final class SchemaRegistryClientException extends RuntimeException {
  private final int status;
  private final int errorCode;

  public SchemaRegistryClientException(int status, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status, or 0 when the registry could not be reached. */
  public int status() {
    return status;
  }

  /**
   * Confluent's error code (40401, 409, 42201, ...), or 0 when the registry could not be reached.
   */
  public int errorCode() {
    return errorCode;
  }
}
