package io.sluice.api;

/** A DAG is malformed: a cycle, an unknown dependency, a duplicate task id or a bad option. */
public class DagDefinitionException extends RuntimeException {
  public DagDefinitionException(String message) {
    super(message);
  }
}
