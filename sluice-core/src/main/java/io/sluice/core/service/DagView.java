package io.sluice.core.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sluice.core.model.DagRecord;
import java.time.Instant;

/** A DAG as the metadata database knows it (Airflow's {@code DAG} object, without its tasks). */
@JsonPropertyOrder({
  "dag_id",
  "is_paused",
  "is_active",
  "schedule_interval",
  "description",
  "fileloc",
  "last_parsed_time"
})
public record DagView(
    @JsonProperty("dag_id") String dagId,
    @JsonProperty("is_paused") boolean paused,
    @JsonProperty("is_active") boolean active,
    @JsonProperty("schedule_interval") String schedule,
    @JsonProperty("description") String description,
    @JsonProperty("fileloc") String fileloc,
    @JsonProperty("last_parsed_time") Instant lastParsedTime)
    implements View {

  /** The view of a stored DAG. */
  public static DagView of(DagRecord d) {
    return new DagView(
        d.dagId(),
        d.paused(),
        d.active(),
        d.schedule(),
        d.description(),
        d.source(),
        d.lastParsedAt());
  }
}
