package io.sluice.api;

import java.util.Locale;

/** When a task runs, given the states of its direct upstream tasks; Airflow's eleven rules. */
public enum TriggerRule {
  ALL_SUCCESS,
  ALL_FAILED,
  ALL_DONE,
  ALL_SKIPPED,
  ONE_SUCCESS,
  ONE_FAILED,
  ONE_DONE,
  NONE_FAILED,
  NONE_FAILED_MIN_ONE_SUCCESS,
  NONE_SKIPPED,
  ALWAYS;

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses Airflow's spelling ({@code all_success}); throws with the accepted values otherwise. */
  public static TriggerRule parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder sb = new StringBuilder();
      for (TriggerRule r : values()) sb.append(sb.length() == 0 ? "" : ", ").append(r.value());
      throw new IllegalArgumentException(
          "unknown trigger rule '" + value + "'; expected one of " + sb, e);
    }
  }
}
