package io.sluice.api;

import java.util.Locale;

/** The state of one DAG run, as in Airflow. */
public enum DagRunState {
  /** Created; waits until the DAG's {@code max_active_runs} allows it to start. */
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DagRunState fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  public boolean isFinished() {
    return this == SUCCESS || this == FAILED;
  }
}
