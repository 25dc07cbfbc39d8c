package io.sluice.local.junit;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.LocalSettings;
import io.sluice.local.LocalStack;
import io.sluice.local.Ports;
import io.sluice.local.Service;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link SluiceStackTest}: one lazily grown {@link LocalStack} per test JVM.
 */
public final class SluiceStackExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SluiceStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    stack(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stack(context);
  }

  private static LocalStack stack(ExtensionContext context) {
    Set<Service> wanted = EnumSet.noneOf(Service.class);
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
      AnnotationSupport.findAnnotation(c, SluiceStackTest.class)
          .ifPresent(a -> wanted.addAll(List.of(a.services())));
    }
    SharedStack shared =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(SharedStack.class, k -> new SharedStack(), SharedStack.class);
    return shared.with(wanted);
  }

  /** The JVM-wide stack; JUnit closes it when the root context closes, at the end of the run. */
  @SuppressWarnings(
      "deprecation") // why: CloseableResource is what JUnit 5 closes at the end of the run
  static final class SharedStack implements ExtensionContext.Store.CloseableResource {
    private LocalStack stack;
    private Path dataDir;

    synchronized LocalStack with(Set<Service> services) {
      if (stack == null) {
        try {
          dataDir = Files.createTempDirectory("sluice-stack-");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        stack = LocalStack.start(testConfig(dataDir), services);
      } else {
        stack.ensureStarted(services);
      }
      return stack;
    }

    @Override
    public synchronized void close() {
      if (stack == null) return;
      stack.close();
      stack = null;
      deleteRecursively(dataDir);
    }
  }

  /** Defaults with free ports and the given data directory, embedded servers for everything. */
  public static SluiceConfig testConfig(Path dataDir) {
    int[] ports = Ports.free(8);
    return SluiceConfig.defaults()
        .with(Settings.DATA_DIR, dataDir.toString(), "test")
        .with(Settings.KAFKA_PORT, String.valueOf(ports[0]), "test")
        .with(LocalSettings.KAFKA_CONTROLLER_PORT, String.valueOf(ports[1]), "test")
        .with(Settings.CASSANDRA_PORT, String.valueOf(ports[2]), "test")
        .with(LocalSettings.CASSANDRA_STORAGE_PORT, String.valueOf(ports[3]), "test")
        .with(Settings.S3_PORT, String.valueOf(ports[4]), "test")
        .with(Settings.DB_PORT, String.valueOf(ports[5]), "test")
        .with(LocalSettings.SIMULATOR_PORT, String.valueOf(ports[6]), "test")
        .with(SchemaRegistrySettings.PORT, String.valueOf(ports[7]), "test");
  }

  /** Deletes {@code dir} and everything in it, if it exists; a leftover is harmless. */
  public static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp folder is harmless
    }
  }
}
