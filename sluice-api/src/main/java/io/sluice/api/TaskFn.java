package io.sluice.api;

/** A TaskFlow task without input: its return value becomes its XCom. */
@FunctionalInterface
public interface TaskFn<O> {
  O apply(TaskContext context) throws Exception;
}
