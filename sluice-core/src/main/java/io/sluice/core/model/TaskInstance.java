package io.sluice.core.model;

import io.sluice.api.TaskState;
import java.time.Instant;

/**
 * One task in one DAG run, as stored.
 *
 * @param tryNumber the number of the current (or last) try; 0 before the first
 * @param maxTries the task's retries at the time the run was created
 * @param readyAt when a task up for retry or reschedule may run again
 * @param firstAttemptStart when the current try first started (kept across reschedules)
 * @param rescheduled the next start continues the current try (sensor reschedule)
 * @param executorId the executor that queued or runs it
 * @param heartbeatAt the last time that executor reported it alive
 */
public record TaskInstance(
    String dagId,
    String runId,
    String taskId,
    TaskState state,
    int tryNumber,
    int maxTries,
    int priorityWeight,
    String pool,
    int poolSlots,
    Instant queuedAt,
    Instant startDate,
    Instant endDate,
    Instant readyAt,
    Instant firstAttemptStart,
    boolean rescheduled,
    String executorId,
    Instant heartbeatAt,
    String note) {

  public static TaskInstance create(
      String dagId,
      String runId,
      String taskId,
      int maxTries,
      int priorityWeight,
      String pool,
      int poolSlots) {
    return new TaskInstance(
        dagId,
        runId,
        taskId,
        TaskState.NONE,
        0,
        maxTries,
        priorityWeight,
        pool,
        poolSlots,
        null,
        null,
        null,
        null,
        null,
        false,
        null,
        null,
        null);
  }

  public TaskInstanceKey key() {
    return new TaskInstanceKey(dagId, runId, taskId);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Copies with changes; keeps state transitions readable. */
  public static final class Builder {
    private TaskState state;
    private int tryNumber;
    private Instant queuedAt;
    private Instant startDate;
    private Instant endDate;
    private Instant readyAt;
    private Instant firstAttemptStart;
    private boolean rescheduled;
    private String executorId;
    private Instant heartbeatAt;
    private String note;
    private int maxTries;
    private final TaskInstance base;

    private Builder(TaskInstance t) {
      base = t;
      state = t.state;
      tryNumber = t.tryNumber;
      queuedAt = t.queuedAt;
      startDate = t.startDate;
      endDate = t.endDate;
      readyAt = t.readyAt;
      firstAttemptStart = t.firstAttemptStart;
      rescheduled = t.rescheduled;
      executorId = t.executorId;
      heartbeatAt = t.heartbeatAt;
      note = t.note;
      maxTries = t.maxTries;
    }

    public Builder maxTries(int v) {
      maxTries = v;
      return this;
    }

    public Builder state(TaskState v) {
      state = v;
      return this;
    }

    public Builder tryNumber(int v) {
      tryNumber = v;
      return this;
    }

    public Builder queuedAt(Instant v) {
      queuedAt = v;
      return this;
    }

    public Builder startDate(Instant v) {
      startDate = v;
      return this;
    }

    public Builder endDate(Instant v) {
      endDate = v;
      return this;
    }

    public Builder readyAt(Instant v) {
      readyAt = v;
      return this;
    }

    public Builder firstAttemptStart(Instant v) {
      firstAttemptStart = v;
      return this;
    }

    public Builder rescheduled(boolean v) {
      rescheduled = v;
      return this;
    }

    public Builder executorId(String v) {
      executorId = v;
      return this;
    }

    public Builder heartbeatAt(Instant v) {
      heartbeatAt = v;
      return this;
    }

    public Builder note(String v) {
      note = v == null || v.length() <= 1000 ? v : v.substring(0, 1000);
      return this;
    }

    public TaskInstance build() {
      return new TaskInstance(
          base.dagId,
          base.runId,
          base.taskId,
          state,
          tryNumber,
          maxTries,
          base.priorityWeight,
          base.pool,
          base.poolSlots,
          queuedAt,
          startDate,
          endDate,
          readyAt,
          firstAttemptStart,
          rescheduled,
          executorId,
          heartbeatAt,
          note);
    }
  }
}
