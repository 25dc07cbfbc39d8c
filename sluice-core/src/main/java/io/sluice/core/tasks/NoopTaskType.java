package io.sluice.core.tasks;

import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;

/** {@code type: noop}: does nothing and succeeds (Airflow's EmptyOperator). */
public final class NoopTaskType implements TaskType {
  @Override
  public String name() {
    return "noop";
  }

  @Override
  public Task create(TaskOptions options) {
    return ctx -> null;
  }
}
