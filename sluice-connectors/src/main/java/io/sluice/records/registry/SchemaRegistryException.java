package io.sluice.records.registry;

/** An error answer of a schema registry, with Confluent's error code (40403, 409, 42201, ...). */
public final class SchemaRegistryException extends RuntimeException {
  /** Confluent's code for "schema not found". */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** Confluent's code for "subject not found". */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Confluent's code for "version not found". */
  public static final int VERSION_NOT_FOUND = 40402;

  private final int errorCode;

  public SchemaRegistryException(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.errorCode = -1;
  }

  /** Confluent's {@code error_code}, or -1 when the registry was not reached. */
  public int errorCode() {
    return errorCode;
  }
}
