package io.sluice.core.store;

/** A metadata database operation failed; the message names the operation. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
