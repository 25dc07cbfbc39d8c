package io.sluice.spark.operator;

import io.sluice.api.Connection;
import io.sluice.api.Task;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskFailedException;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.launch.SparkJobProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code type: spark_submit}, like Airflow's SparkSubmitOperator: a bounded run of a Sluice Spark
 * job (what the topics hold now, or {@code from}..{@code to} for a backfill), whose driver the task
 * tracks and kills when the task times out or is cleared.
 *
 * <p>The master comes from {@code master}, else the {@code master} extra (or host) of {@code
 * conn_id} (default {@code spark_default}). With a {@code local[...]} master the driver is a child
 * JVM of Sluice's own Spark classpath; otherwise {@code $SPARK_HOME/bin/spark-submit} (without
 * SPARK_HOME: Sluice's own Spark jars, see {@code SparkSubmitProcess}) sends the shaded job jar
 * ({@code application}, default {@code sluice-spark/target/sluice-spark-jobs.jar} under {@code
 * sluice.home}) to the cluster, with {@code conf} entries as {@code --conf}.
 *
 * <p>Options: {@code job} (users or weather), {@code from}, {@code to} (rendered), {@code master},
 * {@code conf} (a mapping), {@code application}, {@code conn_id}, and the connections of the job's
 * servers ({@code kafka_conn_id}, {@code cassandra_conn_id}, {@code s3_conn_id}).
 */
public final class SparkSubmitTaskType implements TaskType {
  @Override
  public String name() {
    return "spark_submit";
  }

  @Override
  public Task create(TaskOptions options) {
    String job = options.required("job");
    if (!List.of("users", "weather").contains(job))
      throw new IllegalArgumentException(
          "option 'job' of task '"
              + options.taskId()
              + "' must be users or weather, not '"
              + job
              + "'");
    var from = options.string("from");
    var to = options.string("to");
    if (from.isPresent() != to.isPresent())
      throw new IllegalArgumentException(
          "task '" + options.taskId() + "' needs both 'from' and 'to', or neither");
    var masterOption = options.string("master");
    Map<String, String> conf = options.stringMap("conf");
    var application = options.string("application");
    String connId = options.string("conn_id").orElse(DefaultConnections.SPARK);
    String kafka = options.string("kafka_conn_id").orElse(DefaultConnections.KAFKA);
    String cassandra = options.string("cassandra_conn_id").orElse(DefaultConnections.CASSANDRA);
    String s3 = options.string("s3_conn_id").orElse(DefaultConnections.S3);
    return task(
        job,
        from,
        to,
        masterOption,
        conf,
        application,
        connId,
        ctx -> JobConfig.of(ctx, kafka, cassandra, s3));
  }

  /**
   * A bounded run of {@code job} with the configuration {@code configOf} gives the driver: what the
   * topics hold now, or {@code from}..{@code to} when given (both rendered).
   */
  public static Task task(
      String job,
      Optional<String> from,
      Optional<String> to,
      Optional<String> masterOption,
      Map<String, String> conf,
      Optional<String> application,
      String sparkConnId,
      Function<TaskContext, SluiceConfig> configOf) {
    return ctx -> {
      SluiceConfig config = configOf.apply(ctx);
      List<String> jobArgs = new ArrayList<>();
      if (from.isPresent()) {
        jobArgs.addAll(
            List.of("--from", ctx.render("from", from.get()), "--to", ctx.render("to", to.get())));
      } else {
        jobArgs.add("--available-now");
      }
      String master =
          masterOption
              .map(ctx::render)
              .orElseGet(() -> master(JobConfig.connection(ctx, config, sparkConnId)));
      if (master.startsWith("local")) return runLocal(ctx, config, job, jobArgs);
      return runOnCluster(ctx, config, job, jobArgs, master, conf, application.map(ctx::render));
    };
  }

  static String master(Connection spark) {
    return spark
        .extra("master")
        .orElseGet(
            () -> {
              String host = spark.host() == null ? "local[*]" : spark.host();
              if (host.startsWith("local") || host.contains("://")) return host;
              return "spark://" + host + ":" + (spark.port() == null ? 7077 : spark.port());
            });
  }

  private static Object runLocal(
      TaskContext ctx, SluiceConfig config, String job, List<String> args) throws Exception {
    SparkJobProcess driver = SparkJobProcess.start(config, job, args);
    ctx.log()
        .info("driver of {} started locally (pid {}), log {}", job, driver.pid(), driver.log());
    try {
      int code;
      while ((code = driver.waitFor(Duration.ofSeconds(1))) == -1 && driver.isAlive()) {
        if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
      }
      if (code != 0) {
        throw new TaskFailedException(
            "the " + job + " driver exited with code " + code + "; see " + driver.log());
      }
      String summary =
          Files.exists(driver.summaryFile()) ? Files.readString(driver.summaryFile()) : "{}";
      ctx.log().info("summary: {}", summary);
      return io.sluice.core.engine.XComCodec.mapper().readValue(summary, Map.class);
    } catch (InterruptedException e) {
      ctx.log().info("killing the {} driver (pid {})", job, driver.pid());
      driver.kill();
      throw e;
    }
  }

  private static Object runOnCluster(
      TaskContext ctx,
      SluiceConfig config,
      String job,
      List<String> jobArgs,
      String master,
      Map<String, String> conf,
      java.util.Optional<String> application)
      throws Exception {
    String sparkHome = System.getenv("SPARK_HOME");
    Path jar =
        application.map(Path::of).orElseGet(io.sluice.spark.cluster.SparkSubmitProcess::jobJar);
    if (!Files.exists(jar))
      throw new TaskFailedException("job jar " + jar + " does not exist (mvn package builds it)");
    Map<String, String> rendered = new java.util.LinkedHashMap<>();
    conf.forEach((k, v) -> rendered.put(k, ctx.render("conf." + k, v)));
    List<String> args = new ArrayList<>(jobArgs);
    args.addAll(List.of("--master", master));
    ProcessBuilder pb;
    if (sparkHome == null || sparkHome.isBlank()) {
      // why: without a distribution, spark-submit runs from Sluice's own Spark jars
      pb =
          io.sluice.spark.cluster.SparkSubmitProcess.builder(
              config, master, jar, job, args, rendered);
    } else {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(sparkHome, "bin", "spark-submit").toString(),
                  "--master",
                  master,
                  "--deploy-mode",
                  "client",
                  "--class",
                  SparkJobProcess.MAIN_CLASS));
      rendered.forEach((k, v) -> command.addAll(List.of("--conf", k + "=" + v)));
      command.add(jar.toString());
      command.add(job);
      command.addAll(args);
      pb = new ProcessBuilder(command);
      for (SluiceConfig.Value v : config.describe())
        if (v.raw() != null && !v.raw().isBlank()) pb.environment().put(v.key().env(), v.raw());
    }
    pb.redirectErrorStream(true);
    ctx.log().info("{}", String.join(" ", pb.command()));
    Process driver = pb.start();
    Thread pump =
        new Thread(
            () -> {
              try (var in =
                  new BufferedReader(
                      new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) ctx.log().line(line);
              } catch (java.io.IOException ignored) {
                // the driver ended
              }
            },
            "spark-submit-log");
    pump.setDaemon(true);
    pump.start();
    try {
      int code = driver.waitFor();
      pump.join(5000);
      if (code != 0) throw new TaskFailedException("spark-submit exited with code " + code);
      return Map.of("exit_code", code);
    } catch (InterruptedException e) {
      ctx.log().info("killing spark-submit (pid {})", driver.pid());
      driver.descendants().forEach(ProcessHandle::destroyForcibly);
      driver.destroyForcibly();
      throw e;
    }
  }
}
