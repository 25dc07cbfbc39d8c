package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  @Test
  void stopClosesNewestFirstOnceAndReleasesTheWait() throws Exception {
    List<String> closed = new ArrayList<>();
    Lifecycle life = new Lifecycle(null);
    life.add(() -> closed.add("store"));
    life.add(
        () -> {
          closed.add("scheduler");
          throw new IllegalStateException("a failing close does not stop the rest");
        });
    life.add(() -> closed.add("web"));
    Thread waiter = new Thread(life::awaitStop);
    waiter.start();
    life.stop();
    life.stop();
    waiter.join();
    assertThat(closed).containsExactly("web", "scheduler", "store");
  }
}
