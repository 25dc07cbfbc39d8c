package io.sluice.api;

/**
 * A task that runs a long-lived service (a streaming job) and never finishes on its own.
 *
 * <p>Contract: {@link #execute} blocks for as long as the service should run and returns (or throws
 * {@link InterruptedException}) promptly once its thread is interrupted, after stopping the
 * service. The executor interrupts a service task at once when the scheduler shuts down and when
 * the task's DAG is paused, instead of waiting for it; both end the try as a retryable failure, so
 * the task starts again when the scheduler is back or the DAG is unpaused.
 */
public interface ServiceTask extends Task {}
