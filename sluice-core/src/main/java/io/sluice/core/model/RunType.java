package io.sluice.core.model;

import java.util.Locale;

/** Why a DAG run exists; the prefix of its run id. */
public enum RunType {
  SCHEDULED,
  MANUAL,
  BACKFILL,
  /**
   * A run of {@code sluice dags test --persist}: recorded once it has ended, never started or
   * evaluated by a scheduler.
   */
  TEST;

  /** Airflow's timestamp format in run ids and {@code ts}: {@code 2024-01-01T00:00:00+00:00}. */
  public static String timestamp(java.time.Instant t) {
    var utc = t.atOffset(java.time.ZoneOffset.UTC);
    String pattern =
        utc.getNano() / 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ssxxx" : "yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx";
    return java.time.format.DateTimeFormatter.ofPattern(pattern).format(utc);
  }

  public String dbValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunType fromDb(String v) {
    return valueOf(v.toUpperCase(Locale.ROOT));
  }

  /** Airflow's run id format, e.g. {@code scheduled__2024-01-01T00:00:00+00:00}. */
  public String runId(java.time.Instant logicalDate) {
    return dbValue() + "__" + timestamp(logicalDate);
  }
}
