package io.sluice.core.time;

import java.time.Duration;

/** Waits for clock time to pass; the test kit's virtual clock waits until a test advances it. */
public interface Sleeper {
  Sleeper SYSTEM = d -> Thread.sleep(Math.max(0, d.toMillis()));

  void sleep(Duration duration) throws InterruptedException;
}
