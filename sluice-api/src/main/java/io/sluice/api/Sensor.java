package io.sluice.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A task that waits for a condition by calling {@link #poke} every {@code pokeInterval}.
 *
 * <p>In {@link Mode#POKE} mode the sensor holds its executor thread between pokes; in {@link
 * Mode#RESCHEDULE} mode it gives the thread back and the scheduler runs it again at the next poke
 * time (state {@code up_for_reschedule}). When the condition is not met within {@code timeout}
 * (counted from the first poke), the task fails without retries, or is skipped when {@code
 * softFail} is set.
 */
public abstract class Sensor implements Task {
  /** How a sensor waits between pokes. */
  public enum Mode {
    POKE,
    RESCHEDULE
  }

  private final Mode mode;
  private final Duration pokeInterval;
  private final Duration timeout;
  private final boolean softFail;

  protected Sensor(Mode mode, Duration pokeInterval, Duration timeout, boolean softFail) {
    this.mode = Objects.requireNonNull(mode);
    this.pokeInterval = Objects.requireNonNull(pokeInterval);
    this.timeout = Objects.requireNonNull(timeout);
    this.softFail = softFail;
  }

  /**
   * Checks the condition once. Called on an executor thread; should return quickly. An exception
   * fails the try (and is retried while tries are left).
   */
  protected abstract boolean poke(TaskContext context) throws Exception;

  /** A sensor from a lambda. */
  public static Sensor of(
      Mode mode, Duration pokeInterval, Duration timeout, boolean softFail, Condition condition) {
    return new Sensor(mode, pokeInterval, timeout, softFail) {
      @Override
      protected boolean poke(TaskContext context) throws Exception {
        return condition.test(context);
      }
    };
  }

  /** The condition of a lambda sensor. */
  @FunctionalInterface
  public interface Condition {
    boolean test(TaskContext context) throws Exception;
  }

  @Override
  public final Object execute(TaskContext context) throws Exception {
    Instant deadline = context.firstAttemptStart().plus(timeout);
    while (true) {
      if (poke(context)) {
        context.log().info("sensor condition met");
        return null;
      }
      Instant now = context.clock().instant();
      Instant next = now.plus(pokeInterval);
      if (!now.isBefore(deadline)) {
        String message = "sensor timed out after " + timeout;
        if (softFail) throw new TaskSkippedException(message + " (soft_fail)");
        throw new SensorTimeoutException(message);
      }
      if (next.isAfter(deadline)) next = deadline;
      if (mode == Mode.RESCHEDULE) {
        context.log().info("condition not met; rescheduled to {}", next);
        throw new RescheduleException(next);
      }
      context.sleep(Duration.between(now, next));
    }
  }

  public Mode mode() {
    return mode;
  }
}
