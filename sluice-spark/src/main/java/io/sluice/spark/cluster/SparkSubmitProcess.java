package io.sluice.spark.cluster;

import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.launch.JvmFlags;
import io.sluice.spark.launch.SparkJobProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * spark-submit without a Spark distribution: {@code org.apache.spark.deploy.SparkSubmit} in a child
 * JVM on Sluice's Spark jars, in client deploy mode (the driver runs in that JVM, the executors on
 * the cluster). The job jar is the application: the driver loads {@code JobMain} from it and the
 * cluster's executors fetch it from the driver. The configuration reaches the driver as environment
 * variables, as for a local job.
 *
 * <pre>{@code
 * Process driver =
 *     SparkSubmitProcess.builder(config, "spark://127.0.0.1:7077", jar, "users",
 *             List.of("--available-now"), Map.of())
 *         .inheritIO()
 *         .start();
 * }</pre>
 */
public final class SparkSubmitProcess {
  static final String SUBMIT_CLASS = "org.apache.spark.deploy.SparkSubmit";

  private SparkSubmitProcess() {}

  /**
   * The shaded job jar the build writes: {@code sluice-spark/target/sluice-spark-jobs.jar} under
   * {@code sluice.home} (set by the {@code sluice} launcher), else under the working directory.
   */
  public static Path jobJar() {
    return Path.of(
        System.getProperty("sluice.home", "."), "sluice-spark", "target", "sluice-spark-jobs.jar");
  }

  /**
   * A process builder for {@code spark-submit --master <master> --deploy-mode client --class
   * JobMain <jar> <job> <jobArgs>}, with {@code conf} as {@code --conf k=v}; the caller sets the
   * redirects and starts it.
   */
  public static ProcessBuilder builder(
      SluiceConfig config,
      String master,
      Path jar,
      String job,
      List<String> jobArgs,
      Map<String, String> conf) {
    Path dir = SparkJobProcess.directory(config, job);
    Path argFile = SparkRuntime.classpathArgFile(dir.resolve("submit.args"));
    ProcessBuilder pb =
        new ProcessBuilder(command(config, master, jar, job, jobArgs, conf, argFile));
    pb.environment().putAll(SparkJobProcess.environment(config));
    if (isLoopback(master)) pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  static List<String> command(
      SluiceConfig config,
      String master,
      Path jar,
      String job,
      List<String> jobArgs,
      Map<String, String> conf,
      Path argFile) {
    Map<String, String> effective = new LinkedHashMap<>();
    if (isLoopback(master)) {
      // why: executors on this machine reach the driver on loopback, not on a LAN address
      effective.put("spark.driver.host", "127.0.0.1");
      effective.put("spark.driver.bindAddress", "127.0.0.1");
    }
    effective.put("spark.ui.enabled", "false");
    effective.putAll(conf);
    List<String> c = new ArrayList<>();
    c.add(SparkRuntime.javaExecutable());
    c.add("-Xmx" + config.get(io.sluice.core.config.Settings.SPARK_DRIVER_MEMORY));
    c.addAll(JvmFlags.SPARK_MODULE_OPTIONS);
    c.add("-Dsluice.job=" + job);
    c.add("@" + argFile);
    c.add(SUBMIT_CLASS);
    c.addAll(List.of("--master", master, "--deploy-mode", "client"));
    c.addAll(List.of("--class", SparkJobProcess.MAIN_CLASS, "--name", "sluice-" + job));
    effective.forEach((k, v) -> c.addAll(List.of("--conf", k + "=" + v)));
    c.add(jar.toAbsolutePath().toString());
    c.add(job);
    c.addAll(jobArgs);
    return c;
  }

  private static boolean isLoopback(String master) {
    return master.contains("://127.") || master.contains("://localhost");
  }
}
