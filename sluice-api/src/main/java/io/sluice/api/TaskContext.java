package io.sluice.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a running task knows about its run, and the services it may call. One instance per try, used
 * only on the executor thread that runs the task (not thread-safe).
 */
public interface TaskContext {
  String dagId();

  String taskId();

  String runId();

  /** The start of the data interval (Airflow's {@code logical_date}). */
  Instant logicalDate();

  Instant dataIntervalStart();

  Instant dataIntervalEnd();

  /** 1 for the first try, 2 for the first retry, and so on. */
  int tryNumber();

  /** The DAG's params, overridden by the keys of the run's conf. */
  Map<String, Object> params();

  /** The configuration given when the run was triggered ({@code --conf}); empty otherwise. */
  Map<String, Object> conf();

  /**
   * The value another task of this run pushed under {@code key}, converted to {@code type}; empty
   * when there is none. Reads the metadata database (blocking).
   */
  <T> Optional<T> xcomPull(String taskId, String key, Class<T> type);

  /** The return value of another task of this run (TaskFlow). */
  default <T> Optional<T> xcomPull(String taskId, Class<T> type) {
    return xcomPull(taskId, XCom.RETURN_VALUE, type);
  }

  /** Stores a value for downstream tasks; it must be serialisable as JSON. */
  void xcomPush(String key, Object value);

  /** A Variable's value, or empty. */
  Optional<String> variable(String key);

  /** A Connection by id, or empty when none is defined. */
  Optional<Connection> connection(String connId);

  /** This try's log. */
  TaskLog log();

  /** The scheduler's clock: a virtual clock under the test kit. Use it instead of {@code now()}. */
  Clock clock();

  /**
   * Waits for {@code duration} of {@link #clock()} time: with the test kit's virtual clock, until
   * the test advances time. Throws {@link InterruptedException} when the task is cancelled.
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * When the current try first started; stays the same across sensor reschedules, so a sensor's
   * timeout counts from its first poke.
   */
  Instant firstAttemptStart();

  /**
   * Takes the lease on {@code name} (the process a service task supervises, e.g. {@code
   * stream:users}) for this try, valid for {@code ttl} unless renewed. A lease nobody holds, or one
   * whose holder let it expire, is taken; a live one held by another owner is not.
   *
   * @throws LeaseHeldException when another owner holds a live lease on {@code name}
   */
  ServiceLease acquireLease(String name, Duration ttl) throws LeaseHeldException;

  /**
   * Renders {@code {{ ds }}}-style templates with this context's values (ds, params, var, conn...).
   */
  String render(String template);

  /**
   * Renders {@code template} as {@link #render(String)} does, and records the result as this try's
   * rendered value of the task's option {@code field} (Airflow's rendered template fields, shown by
   * the REST API, the UI and {@code sluice tasks render}). Name a field inside an option by path:
   * {@code env.PATH}, {@code statements[0]}.
   */
  default String render(String field, String template) {
    return render(template);
  }
}
