package io.sluice.core.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.sluice.core.model.Backfill;
import java.time.Instant;
import java.util.Map;

/**
 * A backfill as every client shows it: Airflow 3's {@code BackfillResponse} fields, plus {@code
 * run_backwards}, a {@code state} and the {@code progress} of its dates.
 *
 * @param state {@code running}, {@code paused}, {@code completed} or {@code cancelled}
 */
@JsonPropertyOrder({
  "id",
  "dag_id",
  "dag_display_name",
  "from_date",
  "to_date",
  "dag_run_conf",
  "is_paused",
  "reprocess_behavior",
  "max_active_runs",
  "run_backwards",
  "created_at",
  "completed_at",
  "updated_at",
  "state",
  "progress"
})
public record BackfillView(
    @JsonProperty("id") long id,
    @JsonProperty("dag_id") String dagId,
    @JsonProperty("from_date") Instant fromDate,
    @JsonProperty("to_date") Instant toDate,
    @JsonProperty("dag_run_conf") Map<String, Object> dagRunConf,
    @JsonProperty("is_paused") boolean paused,
    @JsonProperty("reprocess_behavior") String reprocessBehavior,
    @JsonProperty("max_active_runs") int maxActiveRuns,
    @JsonProperty("run_backwards") boolean runBackwards,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("completed_at") Instant completedAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("state") String state,
    @JsonProperty("progress") Progress progress)
    implements View {

  /**
   * How far a backfill has come: its dates ({@code total}), those not reached yet ({@code
   * pending}), those it left alone ({@code skipped}), and its runs by state.
   */
  @JsonPropertyOrder({"total", "pending", "skipped", "queued", "running", "success", "failed"})
  public record Progress(
      @JsonProperty("total") int total,
      @JsonProperty("pending") int pending,
      @JsonProperty("skipped") int skipped,
      @JsonProperty("queued") int queued,
      @JsonProperty("running") int running,
      @JsonProperty("success") int success,
      @JsonProperty("failed") int failed) {

    /** Dates done with: skipped, or whose run finished. */
    public int done() {
      return skipped + success + failed;
    }
  }

  static BackfillView of(Backfill b, Progress p) {
    String state =
        !b.isCompleted()
            ? (b.paused() ? "paused" : "running")
            : (p.pending() > 0 ? "cancelled" : "completed");
    return new BackfillView(
        b.id(),
        b.dagId(),
        b.fromDate(),
        b.toDate(),
        ViewJson.parseConf(b.confJson()),
        b.paused(),
        b.reprocessBehavior().dbValue(),
        b.maxActiveRuns(),
        b.runBackwards(),
        b.createdAt(),
        b.completedAt(),
        b.updatedAt(),
        state,
        p);
  }

  /** Airflow's display name; Sluice's DAGs have none but their id. */
  @JsonProperty("dag_display_name")
  public String dagDisplayName() {
    return dagId;
  }

  /** True once it is done or cancelled: the scheduler makes no more runs for it. */
  public boolean completed() {
    return completedAt != null;
  }
}
