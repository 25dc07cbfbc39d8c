package io.sluice.web.api;

/** An error answered as {@code {"error": message}} with an HTTP status. */
public final class ApiException extends RuntimeException {
  private final int status;

  public ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }
}
