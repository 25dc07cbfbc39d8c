package io.sluice.core.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: injects a fresh {@link TestScheduler} (real scheduler, {@link InMemoryStore},
 * virtual clock) into a test method and closes it afterwards. The clock starts at {@code
 * 2024-01-01T00:00:00Z}, or at {@link StartAt} on the method or class.
 *
 * <pre>{@code
 * @ExtendWith(DagTestKit.class)
 * class MyDagTest {
 *   @Test
 *   @DagTestKit.StartAt("2024-01-03T00:00:00Z")
 *   void catchupCreatesOneRunPerDay(TestScheduler kit) {
 *     kit.scheduler().dagBag().add(myDag);
 *     kit.advance(Duration.ofMinutes(1));
 *   }
 * }
 * }</pre>
 */
public final class DagTestKit implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(DagTestKit.class);

  /** The virtual clock's start, as an ISO-8601 instant. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.TYPE})
  public @interface StartAt {
    String value();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == TestScheduler.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    StartAt at = c.getRequiredTestMethod().getAnnotation(StartAt.class);
    if (at == null) at = c.getRequiredTestClass().getAnnotation(StartAt.class);
    Instant start = Instant.parse(at == null ? "2024-01-01T00:00:00Z" : at.value());
    TestScheduler<InMemoryStore> kit = TestScheduler.start(start);
    c.getStore(NS).put("kit", kit);
    return kit;
  }

  @Override
  public void afterEach(ExtensionContext c) {
    TestScheduler<?> kit = c.getStore(NS).remove("kit", TestScheduler.class);
    if (kit != null) kit.close();
  }
}
