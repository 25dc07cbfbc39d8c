package io.sluice.cli.spark;

import io.sluice.cli.CliException;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice spark submit users|weather [--master spark://host:7077] [--conf k=v ...]}: runs a
 * job on a cluster through the distribution's spark-submit ({@code SPARK_HOME}) with the shaded
 * {@code sluice-spark-jobs.jar}, which brings every dependency the job needs. The driver gets the
 * configuration as environment variables, like a local job.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Submit a job to a Spark cluster with spark-submit and follow it to its end.")
public final class SparkSubmitCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The job: users or weather.")
  String job;

  @Option(names = "--master", description = "Spark master (default: spark.master setting).")
  String master;

  @Option(
      names = "--deploy-mode",
      defaultValue = "client",
      description = "client or cluster (default ${DEFAULT-VALUE}).")
  String deployMode;

  @Option(names = "--conf", description = "A Spark property k=v; repeatable.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(
      names = "--jar",
      description = "The job jar (default: sluice-spark-jobs.jar found near the CLI).")
  Path jar;

  @Option(names = "--available-now", description = "Process what is available, then exit.")
  boolean availableNow;

  @Option(names = "--detach", description = "Return once the application is submitted.")
  boolean detach;

  @Override
  public Integer call() throws Exception {
    if (!List.of("users", "weather").contains(job))
      throw new CliException("unknown job '" + job + "': use users or weather", 2);
    SluiceConfig config = SluiceConfig.load();
    Path jobJar = jar != null ? jar : findJobJar();
    if (config.find(Settings.SPARK_HOME).isEmpty())
      return submitWithoutDistribution(config, jobJar);
    String sparkHome = config.get(Settings.SPARK_HOME);
    Map<String, String> env = new LinkedHashMap<>();
    for (SluiceConfig.Value v : config.describe())
      if (v.raw() != null && !v.raw().isBlank()) env.put(v.key().env(), v.raw());
    SparkLauncher launcher =
        new SparkLauncher(env)
            .setSparkHome(sparkHome)
            .setAppResource(jobJar.toString())
            .setMainClass("io.sluice.spark.JobMain")
            .setAppName("sluice-" + job)
            .setMaster(master != null ? master : config.get(Settings.SPARK_MASTER))
            .setDeployMode(deployMode)
            .addAppArgs(job);
    if (availableNow) launcher.addAppArgs("--available-now");
    conf.forEach(launcher::setConf);
    CountDownLatch done = new CountDownLatch(1);
    List<SparkAppHandle.State> seen = new ArrayList<>();
    SparkAppHandle handle =
        launcher.startApplication(
            new SparkAppHandle.Listener() {
              @Override
              public void stateChanged(SparkAppHandle h) {
                synchronized (seen) {
                  if (seen.isEmpty() || seen.get(seen.size() - 1) != h.getState()) {
                    seen.add(h.getState());
                    System.err.println(
                        job
                            + ": "
                            + h.getState()
                            + (h.getAppId() != null ? " " + h.getAppId() : ""));
                  }
                }
                if (h.getState().isFinal()
                    || (detach && h.getState() == SparkAppHandle.State.SUBMITTED)) done.countDown();
              }

              @Override
              public void infoChanged(SparkAppHandle h) {}
            });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (!handle.getState().isFinal() && !detach) handle.kill();
                }));
    done.await();
    SparkAppHandle.State state = handle.getState();
    if (detach && !state.isFinal()) return 0;
    if (state != SparkAppHandle.State.FINISHED) throw new CliException(job + " ended " + state, 1);
    return 0;
  }

  /**
   * No SPARK_HOME: spark-submit runs from Sluice's own Spark jars, in client mode, and this command
   * follows the driver to its end.
   */
  private int submitWithoutDistribution(SluiceConfig config, Path jobJar) throws Exception {
    if (!"client".equals(deployMode))
      throw new CliException("without SPARK_HOME only --deploy-mode client is supported", 2);
    List<String> args = availableNow ? List.of("--available-now") : List.of();
    Process driver =
        io.sluice.spark.cluster.SparkSubmitProcess.builder(
                config,
                master != null ? master : config.get(Settings.SPARK_MASTER),
                jobJar,
                job,
                args,
                conf)
            .inheritIO()
            .start();
    if (detach) return 0;
    Runtime.getRuntime().addShutdownHook(new Thread(driver::destroy));
    int code = driver.waitFor();
    if (code != 0) throw new CliException(job + " driver exited with code " + code, 1);
    return 0;
  }

  static Path findJobJar() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("SLUICE_SPARK_JOBS_JAR");
    if (env != null && !env.isBlank()) candidates.add(Path.of(env));
    try {
      Path cli =
          Path.of(
              SparkSubmitCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      candidates.add(cli.resolveSibling("sluice-spark-jobs.jar"));
      if (cli.getParent() != null)
        candidates.add(cli.getParent().resolveSibling("sluice-spark-jobs.jar"));
    } catch (Exception ignored) {
      // fall through to the source tree
    }
    candidates.add(Path.of("sluice-spark", "target", "sluice-spark-jobs.jar"));
    for (Path p : candidates) if (Files.isRegularFile(p)) return p.toAbsolutePath();
    throw new CliException(
        "sluice-spark-jobs.jar not found (looked at "
            + candidates
            + "); pass --jar or build sluice-spark",
        2);
  }
}
