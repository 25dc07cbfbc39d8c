package io.sluice.core.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sluice.api.Dag;
import io.sluice.core.engine.DagBag;
import io.sluice.core.model.DagRecord;
import io.sluice.core.schedule.NextRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A DAG with its definition, as Airflow's {@code dags details} shows it. The definition's fields
 * are null when the DAG has no loaded definition (its file was removed or does not parse).
 */
@JsonPropertyOrder({
  "dag_id",
  "description",
  "is_paused",
  "is_active",
  "has_definition",
  "fileloc",
  "last_parsed_time",
  "timetable_summary",
  "timezone",
  "start_date",
  "end_date",
  "catchup",
  "max_active_runs",
  "max_active_tasks",
  "tags",
  "params",
  "task_ids",
  "next_dagrun",
  "next_dagrun_create_after"
})
public record DagDetailsView(
    @JsonProperty("dag_id") String dagId,
    @JsonProperty("description") String description,
    @JsonProperty("is_paused") boolean paused,
    @JsonProperty("is_active") boolean active,
    @JsonProperty("has_definition") boolean hasDefinition,
    @JsonProperty("fileloc") String fileloc,
    @JsonProperty("last_parsed_time") Instant lastParsedTime,
    @JsonProperty("timetable_summary") String timetableSummary,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("start_date") Instant startDate,
    @JsonProperty("end_date") Instant endDate,
    @JsonProperty("catchup") Boolean catchup,
    @JsonProperty("max_active_runs") Integer maxActiveRuns,
    @JsonProperty("max_active_tasks") Integer maxActiveTasks,
    @JsonProperty("tags") List<String> tags,
    @JsonProperty("params") Map<String, Object> params,
    @JsonProperty("task_ids") List<String> taskIds,
    @JsonProperty("next_dagrun") Instant nextDagrun,
    @JsonProperty("next_dagrun_create_after") Instant nextDagrunCreateAfter)
    implements View {

  /**
   * @param e the loaded definition, or null
   * @param next the next scheduled run, or null (paused, manual only, or past the end date)
   */
  static DagDetailsView of(DagRecord d, DagBag.Entry e, NextRun next) {
    Dag dag = e == null ? null : e.dag();
    return new DagDetailsView(
        d.dagId(),
        d.description(),
        d.paused(),
        d.active(),
        dag != null,
        d.source(),
        d.lastParsedAt(),
        d.schedule(),
        dag == null ? null : dag.timezone().getId(),
        dag == null ? null : dag.startDate(),
        dag == null ? null : dag.endDate(),
        dag == null ? null : dag.catchup(),
        dag == null ? null : dag.maxActiveRuns(),
        dag == null ? null : dag.maxActiveTasks(),
        dag == null ? List.of() : dag.tags(),
        dag == null ? Map.of() : dag.params(),
        dag == null ? List.of() : dag.topologicalOrder(),
        next == null ? null : next.logicalDate(),
        next == null ? null : next.runAfter());
  }
}
