package io.sluice.api;

/**
 * The work of one task: an operator instance or a lambda.
 *
 * <p>Contract: {@link #execute} is called on an executor thread, once per try, and may block (the
 * executor has a fixed number of threads, so long waits should use a {@link Sensor} in reschedule
 * mode). The thread is interrupted when the task's {@code execution_timeout} expires or the task is
 * cleared; implementations should stop promptly when interrupted.
 *
 * <p>The returned value, when not {@code null}, is stored as the task's XCom under {@code
 * return_value} (TaskFlow). Throwing {@link TaskSkippedException} marks the task skipped, {@link
 * TaskFailedException} fails it without further retries, {@link RescheduleException} reschedules
 * it; any other exception fails the try, which is retried while tries are left.
 */
@FunctionalInterface
public interface Task {
  Object execute(TaskContext context) throws Exception;
}
