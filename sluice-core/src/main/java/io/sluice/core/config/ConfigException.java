package io.sluice.core.config;

/**
 * Thrown when a configuration value is missing, malformed or out of range; its message names the
 * key, the value and what is accepted.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  static ConfigException invalid(ConfigKey<?> key, String value, String accepted, String origin) {
    return new ConfigException(
        "invalid value '"
            + value
            + "' for "
            + key.name()
            + " (from "
            + origin
            + "): expected "
            + accepted);
  }
}
