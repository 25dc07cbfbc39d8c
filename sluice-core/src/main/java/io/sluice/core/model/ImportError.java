package io.sluice.core.model;

import java.time.Instant;

/** A DAG file (or provider) that could not be loaded: where and why. */
public record ImportError(String source, int line, String message, Instant timestamp) {
  /** {@code file:line: message}, as compilers print it. */
  public String describe() {
    return source + (line > 0 ? ":" + line : "") + ": " + message;
  }
}
