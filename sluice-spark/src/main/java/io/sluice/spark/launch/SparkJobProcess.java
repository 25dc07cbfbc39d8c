package io.sluice.spark.launch;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.jvm.ClassArchive;
import io.sluice.spark.SparkSettings;
import io.sluice.spark.cluster.SparkSubmitProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Spark job running in its own JVM ({@code io.sluice.spark.JobMain}): in local mode, or, when
 * {@code spark.master} is a {@code spark://} URL, as the driver of a spark-submit in client mode
 * that ships the shaded job jar to the cluster's executors ({@link SparkSubmitProcess}). The job
 * survives the process that started it, so that a restarted orchestrator can {@link #attach} to it,
 * watch it and stop it: the stream task that owns it (through its lease in the metadata database)
 * records its pid there. The JVM's own record of its pid is {@code
 * <data.dir>/streams/<job>/job.pid}; its output goes to {@code job.log} beside it, its progress to
 * {@code progress.json}. The continuous jobs of stream tasks may share one local JVM ({@link
 * SharedJvm}), which then appears as the JVM of each.
 *
 * <p>Needs only the JDK and sluice-core: the Spark classpath is read from a file written at build
 * time, so callers (the CLI, the orchestrator) never load Spark themselves.
 *
 * <pre>{@code
 * SparkJobProcess job = SparkJobProcess.start(config, "users", List.of());
 * ...
 * job.stop(Duration.ofSeconds(30));
 * }</pre>
 */
public final class SparkJobProcess {
  public static final String MAIN_CLASS = "io.sluice.spark.JobMain";
  // why: written at build time by maven-dependency-plugin (compile + provided, and runtime scope)
  static final List<String> CLASSPATH_RESOURCES = List.of("classpath.txt", "classpath-runtime.txt");
  // why: a standalone worker gives an application every free core unless capped, and the users
  // and weather jobs must run side by side
  private static final Map<String, String> CLUSTER_CONF =
      Map.of("spark.cores.max", "1", "spark.executor.memory", "768m");

  // why: the job names live in classes that load Spark; this class must not
  private static final String USERS = "users";
  // why: names the jobs a JVM runs on its command line, so that a recycled pid is told apart
  private static final String JOB_PROPERTY = "-Dsluice.job=";

  private final String job;
  private final Path dir;
  private final Path log;
  private final ProcessHandle handle;
  private final Process process;

  private SparkJobProcess(String job, Path dir, Path log, ProcessHandle handle, Process process) {
    this.job = job;
    this.dir = dir;
    this.log = log;
    this.handle = handle;
    this.process = process;
  }

  /** The directory of a job's pid, log, progress and summary files. */
  public static Path directory(SluiceConfig config, String job) {
    return config.dataDir().resolve("streams").resolve(job);
  }

  /**
   * Starts {@code JobMain <job> <args>} in a new JVM with the given configuration (passed as
   * environment variables) and returns at once; the job is starting, not yet running.
   *
   * @throws IllegalStateException when a JVM of this job is still alive
   */
  public static SparkJobProcess start(SluiceConfig config, String job, List<String> args) {
    Optional<SparkJobProcess> running = attach(config, job);
    if (running.isPresent())
      throw new IllegalStateException(
          "job " + job + " is already running (pid " + running.get().pid() + ")");
    return launch(config, List.of(job), args, directory(config, job), job);
  }

  /**
   * Starts {@code JobMain <jobs> <args>} in a new JVM whose log and argument file are in {@code
   * home}, and records its pid in the directory of each of {@code jobs}; returns it as the JVM of
   * {@code job}.
   */
  static SparkJobProcess launch(
      SluiceConfig config, List<String> jobs, List<String> args, Path home, String job) {
    try {
      Files.createDirectories(home);
      for (String j : jobs) {
        Files.createDirectories(directory(config, j));
        Files.deleteIfExists(directory(config, j).resolve("summary.json"));
      }
      String master = config.get(Settings.SPARK_MASTER);
      boolean realtime = jobs.stream().anyMatch(j -> realtime(config, j, args));
      String jobList = String.join(",", jobs);
      ProcessBuilder pb =
          master.startsWith("spark://")
              ? SparkSubmitProcess.builder(
                  config,
                  master,
                  SparkSubmitProcess.jobJar(),
                  job,
                  args,
                  realtime ? realtimeClusterConf(config) : CLUSTER_CONF)
              : sparkJvm(
                  config,
                  home.resolve("java.args"),
                  List.of(JOB_PROPERTY + jobList),
                  MAIN_CLASS,
                  concat(jobList, realtime ? withLocalSlots(config, master, args, jobs) : args));
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("job.log").toFile()));
      Process p = pb.start();
      for (String j : jobs)
        Files.writeString(directory(config, j).resolve("job.pid"), Long.toString(p.pid()));
      return new SparkJobProcess(
          job, directory(config, job), home.resolve("job.log"), p.toHandle(), p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Spark job " + String.join(",", jobs), e);
    }
  }

  /**
   * A JVM on the Spark classpath (written to {@code argFile}: ~250 jars are too long for some exec
   * limits; java reads @argfiles itself) with Spark's module flags, the driver memory, the job
   * JVMs' class-data-sharing archive ({@link JvmFlags#classArchive}) and the configuration as
   * environment variables, running {@code mainClass args}. Its output is the caller's to redirect;
   * it reads no input.
   */
  public static ProcessBuilder sparkJvm(
      SluiceConfig config,
      Path argFile,
      List<String> jvmOptions,
      String mainClass,
      List<String> args)
      throws IOException {
    writeClasspath(argFile);
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions(config));
    command.addAll(JvmFlags.classArchive(classArchive(config), JvmFlags.loadPerCore()));
    command.add("-Dlog4j2.configurationFile=sluice-spark-log4j2.properties");
    command.addAll(jvmOptions);
    command.add("@" + argFile);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment(config));
    pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    pb.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
    return pb;
  }

  /** Writes the job classpath as an argument file for {@code java @argFile}. */
  public static void writeClasspath(Path argFile) throws IOException {
    Files.writeString(argFile, "-cp \"" + classpath().replace("\\", "\\\\") + "\"\n");
  }

  /** The options of a local job JVM: its heap, collector and Spark's module flags. */
  public static List<String> jvmOptions(SluiceConfig config) {
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + config.get(Settings.SPARK_DRIVER_MEMORY));
    // why: job JVMs share a small machine with Kafka and Cassandra; the serial collector has no
    // concurrent or parallel GC threads waking up and the smallest footprint, and a job's young
    // collections at this heap size take milliseconds
    options.add("-XX:+UseSerialGC");
    options.addAll(JvmFlags.SPARK_MODULE_OPTIONS);
    return options;
  }

  /** The class-data-sharing archive of local job JVMs on this build's classpath and options. */
  public static ClassArchive classArchive(SluiceConfig config) throws IOException {
    return ClassArchive.of(
        JvmFlags.JOB_ARCHIVE,
        javaExecutable(),
        jvmOptions(config),
        List.of(classpath().split(java.io.File.pathSeparator)));
  }

  /** True when {@code job} will run its Cassandra query in real-time mode. */
  static boolean realtime(SluiceConfig config, String job, List<String> args) {
    return SparkSettings.realtime(config)
        && USERS.equals(job)
        && !args.contains("--available-now")
        && !args.contains("--from")
        && !args.contains("--master");
  }

  /**
   * {@code args} with a local master of enough task slots for real-time mode.
   *
   * <p>why: a real-time query holds one task slot per partition of its topic for the whole batch,
   * and the lake query's micro-batches need slots beside them; {@code local[*]} gives as many slots
   * as cores (two on a small machine), and a query short of slots waits for ever. Local slots are
   * threads, and these mostly wait on Kafka, so more slots than cores cost little.
   */
  static List<String> withLocalSlots(
      SluiceConfig config, String master, List<String> args, List<String> jobs) {
    // why: the other jobs of a shared JVM get a slot per partition beside the real-time query's
    int slots =
        SparkSettings.realtimeSlots(config)
            + (jobs.size() - 1) * config.get(Settings.TOPIC_PARTITIONS);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+)").matcher(master);
    if (m.lookingAt()) slots = Math.max(slots, Integer.parseInt(m.group(1)));
    else if (master.startsWith("local[*"))
      slots = Math.max(slots, Runtime.getRuntime().availableProcessors());
    List<String> all = new ArrayList<>(args);
    all.add("--master");
    all.add("local[" + slots + "]");
    return all;
  }

  private static Map<String, String> realtimeClusterConf(SluiceConfig config) {
    Map<String, String> conf = new java.util.HashMap<>(CLUSTER_CONF);
    conf.put("spark.cores.max", Integer.toString(SparkSettings.realtimeSlots(config)));
    return conf;
  }

  private static List<String> concat(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  /**
   * The job's JVM its pid file names, when it is alive (checked by pid and command line), else
   * empty.
   */
  public static Optional<SparkJobProcess> attach(SluiceConfig config, String job) {
    Path dir = directory(config, job);
    Path pidFile = dir.resolve("job.pid");
    if (!Files.exists(pidFile)) return Optional.empty();
    try {
      return attach(config, job, Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The JVM {@code pid} when it is alive and runs {@code job} (a recycled pid does not), else
   * empty.
   */
  public static Optional<SparkJobProcess> attach(SluiceConfig config, String job, long pid) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(h -> isJob(h, job))
        .map(
            h -> {
              Path home =
                  jobsOf(h).size() > 1 ? SharedJvm.directory(config) : directory(config, job);
              return new SparkJobProcess(
                  job, directory(config, job), home.resolve("job.log"), h, null);
            });
  }

  /** True when {@code handle} runs {@code JobMain} with {@code job} (a recycled pid does not). */
  static boolean isJob(ProcessHandle handle, String job) {
    return handle
        .info()
        .arguments()
        .map(a -> jobsOf(List.of(a)).contains(job) && List.of(a).contains(MAIN_CLASS))
        .orElse(handle.info().commandLine().map(c -> c.contains(MAIN_CLASS)).orElse(false));
  }

  private static List<String> jobsOf(ProcessHandle handle) {
    return handle.info().arguments().map(a -> jobsOf(List.of(a))).orElse(List.of());
  }

  /** The jobs a JVM's arguments name ({@code -Dsluice.job=users,weather}). */
  static List<String> jobsOf(List<String> jvmArgs) {
    for (String a : jvmArgs)
      if (a.startsWith(JOB_PROPERTY)) return List.of(a.substring(JOB_PROPERTY.length()).split(","));
    return List.of();
  }

  public String job() {
    return job;
  }

  public long pid() {
    return handle.pid();
  }

  public boolean isAlive() {
    return handle.isAlive();
  }

  public Path directory() {
    return dir;
  }

  /** The JVM's output: in the job's directory, or in the shared JVM's ({@link SharedJvm}). */
  public Path log() {
    return log;
  }

  public Path progressFile() {
    return dir.resolve("progress.json");
  }

  public Path summaryFile() {
    return dir.resolve("summary.json");
  }

  /**
   * Waits for the JVM to end; returns its exit code, or -1 when attached (unknown) or timed out.
   */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (process != null) {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return -1;
    }
    return -1;
  }

  /**
   * Stops the job cleanly (SIGTERM: the queries finish their batch), then forcibly after {@code
   * grace}. Returns true when the JVM is gone.
   */
  public boolean stop(Duration grace) {
    if (!handle.isAlive()) return true;
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      handle.destroyForcibly();
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // reported by the return value
      }
    }
    return !handle.isAlive();
  }

  /** Kills the JVM at once (SIGKILL), as a crash would; the checkpoints make a restart safe. */
  public void kill() {
    handle.destroyForcibly();
    try {
      handle.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the caller checks isAlive()
    }
  }

  /**
   * The configuration as environment variables for the job JVM: every setting that has a value,
   * under its primary variable name.
   */
  public static Map<String, String> environment(SluiceConfig config) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    for (SluiceConfig.Value v : config.describe()) {
      ConfigKey<?> key = v.key();
      if (v.raw() != null && !v.raw().isBlank()) env.put(key.env(), v.raw());
    }
    env.put(Settings.DATA_DIR.env(), config.dataDir().toString());
    return env;
  }

  /**
   * The job classpath: this module's classes followed by the jars listed in the build-time
   * classpath file (Spark included), or {@code SLUICE_SPARK_CLASSPATH} when set.
   */
  public static String classpath() throws IOException {
    String override = System.getenv("SLUICE_SPARK_CLASSPATH");
    if (override != null && !override.isBlank()) return override;
    String own;
    try {
      own =
          Path.of(SparkJobProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    java.util.LinkedHashSet<String> entries = new java.util.LinkedHashSet<>();
    entries.add(own);
    for (String resource : CLASSPATH_RESOURCES) {
      try (InputStream in = SparkJobProcess.class.getResourceAsStream(resource)) {
        if (in == null)
          throw new IOException(
              "the Spark job classpath is missing from the sluice-spark jar (build it with Maven)");
        String list = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        for (String e : list.split(java.io.File.pathSeparator)) if (!e.isBlank()) entries.add(e);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** The java executable of this JVM, which job JVMs run too. */
  public static String javaExecutable() {
    return ProcessHandle.current()
        .info()
        .command()
        .filter(c -> c.endsWith("java"))
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static java.io.File nullFile() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
