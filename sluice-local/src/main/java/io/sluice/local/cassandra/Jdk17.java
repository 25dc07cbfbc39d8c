package io.sluice.local.cassandra;

import io.sluice.local.LocalStackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds a JDK 17 for the Cassandra child and knows the module flags Cassandra needs on it. */
final class Jdk17 {
  private Jdk17() {}

  /**
   * The {@code java} of this JVM when it is 17, else of a JDK 17 under {@code $JAVA17_HOME} or
   * {@code /usr/lib/jvm}. Cassandra 5.0 runs on 11 and 17 only; 21+ reject its security manager.
   */
  static Path javaExecutable() {
    if (Runtime.version().feature() == 17)
      return Path.of(System.getProperty("java.home"), "bin", "java");
    String hint = System.getenv("JAVA17_HOME");
    if (hint != null && isJdk17(Path.of(hint))) return Path.of(hint, "bin", "java");
    return findUnder(Path.of("/usr/lib/jvm"))
        .map(home -> home.resolve("bin").resolve("java"))
        .orElseThrow(
            () ->
                new LocalStackException(
                    "Cassandra needs a Java 17 runtime, but this is Java "
                        + Runtime.version().feature()
                        + " and none was found under /usr/lib/jvm; install a JDK 17 or set JAVA17_HOME"));
  }

  private static Optional<Path> findUnder(Path root) {
    if (!Files.isDirectory(root)) return Optional.empty();
    try (Stream<Path> homes = Files.list(root)) {
      return homes.filter(Jdk17::isJdk17).sorted().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isJdk17(Path home) {
    Path release = home.resolve("release");
    if (!Files.isExecutable(home.resolve("bin").resolve("java")) || !Files.isReadable(release))
      return false;
    try {
      return Files.readAllLines(release).stream()
          .anyMatch(l -> l.matches("JAVA_VERSION=\"17(\\..*)?\""));
    } catch (IOException e) {
      return false;
    }
  }

  /** Cassandra 5.0's {@code jvm17-server.options} module list, plus its Netty properties. */
  static List<String> cassandraModuleFlags() {
    return List.of(
        "-Djdk.attach.allowAttachSelf=true",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
        "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
        "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
        "--add-exports=java.sql/java.sql=ALL-UNNAMED",
        "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
        "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "-Dio.netty.allocator.useCacheForAllThreads=true",
        "-Dio.netty.allocator.maxOrder=11");
  }
}
