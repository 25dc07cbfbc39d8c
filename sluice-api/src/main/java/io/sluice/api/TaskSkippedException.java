package io.sluice.api;

/** Thrown by a task to end in state {@code skipped} (Airflow's AirflowSkipException). */
public class TaskSkippedException extends RuntimeException {
  public TaskSkippedException(String message) {
    super(message);
  }
}
