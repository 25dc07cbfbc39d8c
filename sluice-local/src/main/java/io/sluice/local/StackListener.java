package io.sluice.local;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears how the local stack starts. Called from the starting threads, possibly concurrently; must
 * not block.
 */
public interface StackListener {
  /** A start-up phase of a service was reached, e.g. "replaying commit log". */
  default void progress(Service service, String message) {}

  /** A service accepts connections at {@code address}, {@code took} after its start began. */
  default void ready(Service service, String address, Duration took) {}

  /** Logs progress and readiness at INFO. */
  static StackListener logging() {
    Logger log = LoggerFactory.getLogger(LocalStack.class);
    return new StackListener() {
      @Override
      public void progress(Service service, String message) {
        log.info("{}: {}", service, message);
      }

      @Override
      public void ready(Service service, String address, Duration took) {
        log.info("{} ready at {} ({} ms)", service, address, took.toMillis());
      }
    };
  }
}
