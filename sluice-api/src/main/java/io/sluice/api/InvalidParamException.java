package io.sluice.api;

/**
 * A trigger's conf or logical date that a DAG's params refuse. {@link #param()} names the param (or
 * {@code logical_date}, or {@code conf} when the conf is not a JSON object); no run is created.
 */
public final class InvalidParamException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String param;

  public InvalidParamException(String param, String problem) {
    super("param '" + param + "': " + problem);
    this.param = param;
  }

  /** The name of the refused param. */
  public String param() {
    return param;
  }
}
