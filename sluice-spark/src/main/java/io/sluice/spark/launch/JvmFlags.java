package io.sluice.spark.launch;

import io.sluice.core.jvm.ClassArchive;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of a job JVM: those Spark needs on Java 17+, as Spark's own launcher sets them
 * ({@code org.apache.spark.launcher.JavaModuleOptions}; copied here so that starting a job needs no
 * Spark class, and a unit test keeps the two lists equal), and those of its class-data-sharing
 * archive.
 */
public final class JvmFlags {
  private JvmFlags() {}

  /** The name of the job JVMs' class-data-sharing archive in the cache ({@link ClassArchive}). */
  public static final String JOB_ARCHIVE = "spark-job";

  /**
   * The highest load average per core at which a job JVM records and writes the archive: the dump's
   * pause grows with the load.
   */
  public static final double DUMP_MAX_LOAD_PER_CORE = 3.0;

  /** The load average per core of this machine; the highest value where there is none. */
  public static double loadPerCore() {
    double load =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? Double.MAX_VALUE : load / Runtime.getRuntime().availableProcessors();
  }

  /**
   * The flags that map the job JVMs' archive or, while there is none, let this job JVM write it
   * once its queries have run and gone idle ({@code io.sluice.spark.ClassArchiveWriter}). The first
   * job JVM after a build starts without one; every later one maps the classes its steady state
   * loaded instead of loading and verifying them from ~250 jars. On a machine above {@link
   * #DUMP_MAX_LOAD_PER_CORE} a JVM without an archive records nothing. {@code -Xshare:auto} (the
   * JDK's default, stated): a missing, unreadable or stale archive leaves the JVM starting without
   * one.
   */
  public static List<String> classArchive(ClassArchive archive, double loadPerCore) {
    // why: the dump stops the JVM for minutes on a saturated machine, and recording what it needs
    // slows the start; such a JVM starts as it did without an archive, and a later one writes it
    if (!archive.exists() && loadPerCore > DUMP_MAX_LOAD_PER_CORE) return List.of();
    List<String> flags = new ArrayList<>(archive.dumpOnRequestFlags());
    if (!flags.isEmpty()) flags.add(0, "-Xshare:auto");
    return flags;
  }

  public static final List<String> SPARK_MODULE_OPTIONS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-modules=jdk.incubator.vector",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "-Dio.netty.tryReflectionSetAccessible=true",
          "-Dio.netty.allocator.type=pooled",
          "-Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE",
          "--sun-misc-unsafe-memory-access=allow",
          "--enable-native-access=ALL-UNNAMED");
}
