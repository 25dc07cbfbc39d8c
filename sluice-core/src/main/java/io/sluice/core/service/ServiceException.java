package io.sluice.core.service;

import io.sluice.api.InvalidParamException;

/**
 * A request to {@link DagRunService} or {@link BackfillService} that cannot be carried out. The
 * {@link #reason()} tells a client how to report it: the REST API answers 404, 409 or 400; the CLI
 * prints the message and exits 1 (2 for {@link Reason#INVALID}).
 */
public final class ServiceException extends RuntimeException {
  /** Why the request was refused. */
  public enum Reason {
    /** The DAG, run or task instance does not exist. */
    NOT_FOUND,
    /** It exists, but its state forbids the request (a run already exists for that date). */
    CONFLICT,
    /** The request itself is malformed (a conf that is not a JSON object, a bad date range). */
    INVALID
  }

  private final Reason reason;
  private final String param;

  public ServiceException(Reason reason, String message) {
    this(reason, message, null);
  }

  private ServiceException(Reason reason, String message, String param) {
    super(message);
    this.reason = reason;
    this.param = param;
  }

  public Reason reason() {
    return reason;
  }

  /**
   * The DAG param (or {@code conf}, {@code logical_date}) a trigger was refused for, or the field
   * of a backfill request; null when none.
   */
  public String param() {
    return param;
  }

  static ServiceException notFound(String message) {
    return new ServiceException(Reason.NOT_FOUND, message);
  }

  static ServiceException conflict(String message) {
    return new ServiceException(Reason.CONFLICT, message);
  }

  static ServiceException invalid(InvalidParamException e) {
    return new ServiceException(Reason.INVALID, e.getMessage(), e.param());
  }

  /** INVALID for one field of a request, named in the message and by {@link #param()}. */
  static ServiceException invalid(String param, String message) {
    return new ServiceException(Reason.INVALID, "'" + param + "' " + message, param);
  }

  static ServiceException invalid(String message) {
    return new ServiceException(Reason.INVALID, message);
  }
}
