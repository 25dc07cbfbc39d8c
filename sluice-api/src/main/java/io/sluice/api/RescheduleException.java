package io.sluice.api;

import java.time.Instant;

/**
 * Thrown by a task to give back its executor slot and run again at {@link #at()}, in state {@code
 * up_for_reschedule}, without using a try (Airflow's AirflowRescheduleException).
 */
public class RescheduleException extends RuntimeException {
  private final Instant at;

  public RescheduleException(Instant at) {
    super("rescheduled to " + at);
    this.at = at;
  }

  public Instant at() {
    return at;
  }
}
