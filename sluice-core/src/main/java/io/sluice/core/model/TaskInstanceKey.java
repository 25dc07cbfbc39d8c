package io.sluice.core.model;

/** Identifies a task instance: one task in one DAG run. */
public record TaskInstanceKey(String dagId, String runId, String taskId) {
  @Override
  public String toString() {
    return dagId + "/" + runId + "/" + taskId;
  }
}
