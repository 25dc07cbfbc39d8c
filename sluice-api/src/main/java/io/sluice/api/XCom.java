package io.sluice.api;

/** Names used with XComs. */
public final class XCom {
  /** The key of a task's return value. */
  public static final String RETURN_VALUE = "return_value";

  private XCom() {}
}
