package io.sluice.core.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sluice.api.DagRunState;
import io.sluice.core.model.DagRun;
import java.time.Instant;
import java.util.Map;

/**
 * A DAG run as every client shows it (Airflow's {@code DAGRun} object). {@link ViewJson#toMap}
 * gives its JSON, used by the CLI and the REST API alike.
 */
@JsonPropertyOrder({
  "dag_id",
  "run_id",
  "dag_run_id",
  "state",
  "run_type",
  "logical_date",
  "data_interval_start",
  "data_interval_end",
  "queued_at",
  "start_date",
  "end_date",
  "duration",
  "conf"
})
public record DagRunView(
    @JsonProperty("dag_id") String dagId,
    @JsonProperty("run_id") String runId,
    @JsonProperty("state") String state,
    @JsonProperty("run_type") String runType,
    @JsonProperty("logical_date") Instant logicalDate,
    @JsonProperty("data_interval_start") Instant dataIntervalStart,
    @JsonProperty("data_interval_end") Instant dataIntervalEnd,
    @JsonProperty("queued_at") Instant queuedAt,
    @JsonProperty("start_date") Instant startDate,
    @JsonProperty("end_date") Instant endDate,
    @JsonProperty("conf") Map<String, Object> conf)
    implements View {

  /** The view of a stored run. */
  public static DagRunView of(DagRun r) {
    return new DagRunView(
        r.dagId(),
        r.runId(),
        r.state().dbValue(),
        r.runType().dbValue(),
        r.logicalDate(),
        r.dataIntervalStart(),
        r.dataIntervalEnd(),
        r.queuedAt(),
        r.startDate(),
        r.endDate(),
        confOf(r.confJson()));
  }

  /** Airflow's second name for the run id. */
  @JsonProperty("dag_run_id")
  public String dagRunId() {
    return runId;
  }

  /** Seconds from start to end, null until the run ended. */
  @JsonProperty("duration")
  public Double duration() {
    return ViewJson.seconds(startDate, endDate);
  }

  /** The state as the enum. */
  @JsonIgnore
  public DagRunState runState() {
    return DagRunState.fromDb(state);
  }

  /** True once the run succeeded or failed. */
  @JsonIgnore
  public boolean finished() {
    return runState().isFinished();
  }

  private static Map<String, Object> confOf(String json) {
    try {
      return ViewJson.parseConf(json);
    } catch (IllegalArgumentException e) {
      return Map.of("conf", json);
    }
  }
}
