package io.sluice.api;

/** A sensor's condition was not met within its timeout; fails without retries unless soft_fail. */
public class SensorTimeoutException extends TaskFailedException {
  public SensorTimeoutException(String message) {
    super(message);
  }
}
