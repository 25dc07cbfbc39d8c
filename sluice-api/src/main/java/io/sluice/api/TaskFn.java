package io.sluice.api;

/**
 * A TaskFlow task without input: its return value becomes its XCom. A lambda passed to {@link
 * Dag.Builder#task(String, TaskFn)} keeps its return type, so a downstream task receives it typed.
 */
@FunctionalInterface
public interface TaskFn<O> extends Task {
  O apply(TaskContext context) throws Exception;

  @Override
  default Object execute(TaskContext context) throws Exception {
    return apply(context);
  }
}
