package io.sluice.core.model;

import java.util.Locale;

/** Why a DAG run exists; the prefix of its run id. */
public enum RunType {
  SCHEDULED,
  MANUAL,
  BACKFILL;

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunType fromDb(String v) {
    return valueOf(v.toUpperCase(Locale.ROOT));
  }

  /** Airflow's run id format, e.g. {@code scheduled__2024-01-01T00:00:00+00:00}. */
  public String runId(java.time.Instant logicalDate) {
    return dbValue()
        + "__"
        + java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
            logicalDate.atOffset(java.time.ZoneOffset.UTC));
  }
}
