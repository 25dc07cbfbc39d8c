package io.sluice.api;

import java.util.Locale;

/**
 * The state of one task instance, exactly Airflow's set. {@link #dbValue()} is the lower-case name
 * stored in the metadata database and printed by the CLI.
 */
public enum TaskState {
  /** Not yet scheduled: its upstream tasks have not met its trigger rule. */
  NONE,
  /** Its dependencies are met; it waits for a free executor slot, pool slot or run limit. */
  SCHEDULED,
  /** Handed to an executor, not yet started. */
  QUEUED,
  RUNNING,
  SUCCESS,
  /** Cleared while running; it will be run again. */
  RESTARTING,
  FAILED,
  SKIPPED,
  /** An upstream task failed and its trigger rule cannot be met any more. */
  UPSTREAM_FAILED,
  /** Failed with tries left; runs again once its retry delay has passed. */
  UP_FOR_RETRY,
  /** A sensor in reschedule mode; runs again at its next poke time, without using a try. */
  UP_FOR_RESCHEDULE,
  /** Suspended waiting for an external trigger. */
  DEFERRED,
  /** The task no longer exists in the DAG. */
  REMOVED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TaskState fromDb(String value) {
    return value == null ? NONE : valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** True when no further transition happens without a user clearing the task. */
  public boolean isFinished() {
    return this == SUCCESS
        || this == FAILED
        || this == SKIPPED
        || this == UPSTREAM_FAILED
        || this == REMOVED;
  }

  /** True for the states in which the task holds (or is about to hold) an executor slot. */
  public boolean isActive() {
    return this == QUEUED || this == RUNNING;
  }
}
