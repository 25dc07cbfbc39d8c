package io.sluice.core.service;

import java.util.Map;

/** A view record of {@link DagRunService}: what the CLI and the REST API print as JSON. */
public interface View {
  /** This view as its JSON object (Airflow's field names, formatted timestamps). */
  default Map<String, Object> toMap() {
    return ViewJson.toMap(this);
  }
}
