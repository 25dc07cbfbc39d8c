package io.sluice.schemaregistry.server;

/**
 * A refusal the REST API answers with Confluent's error body, {@code {"error_code": 40401,
 * "message": "..."}}, and HTTP status ({@code error_code} itself, or its first three digits).
 */
public final class RegistryException extends RuntimeException {
  private final int errorCode;

  public RegistryException(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  /** Confluent's error code: 40401, 409, 42201 and so on. */
  public int errorCode() {
    return errorCode;
  }

  /** The HTTP status: the error code's first three digits. */
  public int httpStatus() {
    return errorCode < 1000 ? errorCode : errorCode / 100;
  }

  static RegistryException subjectNotFound(String subject) {
    return new RegistryException(40401, "Subject '" + subject + "' not found.");
  }

  static RegistryException versionNotFound(String subject, int version) {
    return new RegistryException(
        40402, "Version " + version + " not found for subject '" + subject + "'.");
  }

  static RegistryException schemaNotFound(String what) {
    return new RegistryException(40403, "Schema " + what + " not found");
  }

  static RegistryException subjectSoftDeleted(String subject) {
    return new RegistryException(
        40404,
        "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
  }

  static RegistryException subjectNotSoftDeleted(String subject) {
    return new RegistryException(
        40405, "Subject '" + subject + "' was not deleted first before being permanently deleted");
  }

  static RegistryException versionSoftDeleted(String subject, int version) {
    return new RegistryException(
        40406,
        "Subject '"
            + subject
            + "' Version "
            + version
            + " was soft deleted. Set permanent=true to delete permanently");
  }

  static RegistryException versionNotSoftDeleted(String subject, int version) {
    return new RegistryException(
        40407,
        "Subject '"
            + subject
            + "' Version "
            + version
            + " was not deleted first before being permanently deleted");
  }

  static RegistryException subjectLevelNotConfigured(String subject) {
    return new RegistryException(
        40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  static RegistryException incompatible(String subject, Iterable<String> details) {
    return new RegistryException(
        409,
        "Schema being registered is incompatible with an earlier schema for subject \""
            + subject
            + "\", details: "
            + String.join("; ", details));
  }

  /** 42201: the schema does not parse, or is of a type this registry does not hold. */
  public static RegistryException invalidSchema(String detail) {
    return new RegistryException(42201, "Invalid schema: " + detail);
  }

  static RegistryException invalidVersion(String version) {
    return new RegistryException(
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string"
            + " \"latest\"");
  }

  static RegistryException invalidLevel(String level) {
    return new RegistryException(
        42203,
        "Invalid compatibility level. Valid values are none, backward, forward, full,"
            + " backward_transitive, forward_transitive, and full_transitive (got '"
            + level
            + "')");
  }

  static RegistryException invalidMode(String mode) {
    return new RegistryException(
        42204,
        "Invalid mode. Valid values are READWRITE, READONLY and IMPORT (got '" + mode + "')");
  }

  static RegistryException notPermitted(String detail) {
    return new RegistryException(42205, "Operation not permitted: " + detail);
  }

  static RegistryException backend(String detail, Throwable cause) {
    RegistryException e =
        new RegistryException(50001, "Error in the backend data store: " + detail);
    e.initCause(cause);
    return e;
  }
}
