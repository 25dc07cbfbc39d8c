package io.sluice.core.model;

import io.sluice.api.DagRunState;
import java.util.Locale;

/**
 * What a backfill does with a logical date that already has a run (Airflow 3's {@code
 * reprocess_behavior}).
 */
public enum ReprocessBehavior {
  /** Leaves every existing run alone. */
  NONE,
  /** Runs again the dates whose existing run failed. */
  FAILED,
  /** Runs again the dates whose existing run finished, failed or succeeded. */
  COMPLETED;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for anything but none, failed or completed (any case)
   */
  public static ReprocessBehavior fromDb(String v) {
    for (ReprocessBehavior b : values()) if (b.dbValue().equalsIgnoreCase(v.trim())) return b;
    throw new IllegalArgumentException(
        "'" + v + "' is not a reprocess behavior (none, failed or completed)");
  }

  /** True when a date whose existing run ended in {@code finished} is run again. */
  public boolean reruns(DagRunState finished) {
    return switch (this) {
      case NONE -> false;
      case FAILED -> finished == DagRunState.FAILED;
      case COMPLETED -> finished.isFinished();
    };
  }
}
