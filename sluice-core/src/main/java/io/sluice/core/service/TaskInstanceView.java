package io.sluice.core.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sluice.api.TaskState;
import io.sluice.core.model.TaskInstance;
import java.time.Instant;

/**
 * A task instance as every client shows it (Airflow's {@code TaskInstance} object); {@code state}
 * is null for a task that has not been scheduled yet, as in Airflow.
 */
@JsonPropertyOrder({
  "dag_id",
  "run_id",
  "dag_run_id",
  "task_id",
  "state",
  "try_number",
  "max_tries",
  "priority_weight",
  "pool",
  "pool_slots",
  "queued_when",
  "start_date",
  "end_date",
  "duration",
  "hostname",
  "note"
})
public record TaskInstanceView(
    @JsonProperty("dag_id") String dagId,
    @JsonProperty("run_id") String runId,
    @JsonProperty("task_id") String taskId,
    @JsonProperty("state") String state,
    @JsonProperty("try_number") int tryNumber,
    @JsonProperty("max_tries") int maxTries,
    @JsonProperty("priority_weight") int priorityWeight,
    @JsonProperty("pool") String pool,
    @JsonProperty("pool_slots") int poolSlots,
    @JsonProperty("queued_when") Instant queuedWhen,
    @JsonProperty("start_date") Instant startDate,
    @JsonProperty("end_date") Instant endDate,
    @JsonProperty("hostname") String hostname,
    @JsonProperty("note") String note)
    implements View {

  /** The view of a stored task instance. */
  public static TaskInstanceView of(TaskInstance t) {
    return new TaskInstanceView(
        t.dagId(),
        t.runId(),
        t.taskId(),
        t.state() == TaskState.NONE ? null : t.state().dbValue(),
        t.tryNumber(),
        t.maxTries(),
        t.priorityWeight(),
        t.pool(),
        t.poolSlots(),
        t.queuedAt(),
        t.startDate(),
        t.endDate(),
        t.executorId(),
        t.note());
  }

  /** Airflow's second name for the run id. */
  @JsonProperty("dag_run_id")
  public String dagRunId() {
    return runId;
  }

  /** Seconds from start to end, null while running. */
  @JsonProperty("duration")
  public Double duration() {
    return ViewJson.seconds(startDate, endDate);
  }

  /** The state as the enum ({@link TaskState#NONE} for null). */
  @JsonIgnore
  public TaskState taskState() {
    return TaskState.fromDb(state);
  }
}
