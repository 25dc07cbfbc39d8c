package io.sluice.api;

/**
 * Thrown by a task to fail at once, without the retries it has left (Airflow's
 * AirflowFailException).
 */
public class TaskFailedException extends RuntimeException {
  public TaskFailedException(String message) {
    super(message);
  }

  public TaskFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
