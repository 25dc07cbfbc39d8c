package io.sluice.api;

/** A TaskFlow task whose input is the return value of one upstream task. */
@FunctionalInterface
public interface TaskFn1<I, O> {
  O apply(TaskContext context, I input) throws Exception;
}
