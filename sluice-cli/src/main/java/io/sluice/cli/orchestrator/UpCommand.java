package io.sluice.cli.orchestrator;

import io.sluice.cli.stack.StackUpCommand;
import io.sluice.cli.stack.TopologyOptions;
import io.sluice.cli.stack.TopologyStack;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.jvm.ClassArchive;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.spark.launch.JvmFlags;
import io.sluice.web.WebSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sluice up}: the whole product on one machine. Starts the local stack (every server whose
 * address is not configured), points the REST sources at the API simulators unless their URLs are
 * configured, then runs the scheduler, the executor and the web server with the shipped DAGs: the
 * ingest DAGs on their schedules and the Spark streaming jobs as {@code stream} tasks.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start the local stack, the orchestrator with the web UI, and the shipped pipelines.",
      "user_automation ingests users every minute; the users and weather Spark jobs stream them"
          + " into Cassandra and S3. Ctrl-C stops everything; data under SLUICE_DATA_DIR is kept."
    })
public final class UpCommand implements Runnable, io.sluice.cli.RunningStack.Owner {
  // why: by then the stack has started, run its first DAG runs and launched the stream jobs, whose
  // classes the archive is to hold; on a quiet machine the first row is in Cassandra before
  private static final Duration ARCHIVE_AFTER = Duration.ofSeconds(30);

  @Mixin TopologyOptions topology;

  @Override
  public void run() {
    SluiceConfig config = topology.apply(SluiceConfig.load());
    PrintStream err = System.err;
    long began = System.nanoTime();
    err.println("starting the local stack in " + config.dataDir() + " ...");
    // why: Cassandra is the long pole; the orchestrator, the ingest DAGs and the job JVMs (Spark
    // session, Kafka source, checkpoint) start meanwhile, and a job's sink waits for it to answer.
    // The metadata database is up long before Kafka: it is migrated and the DAGs parsed meanwhile.
    OrchestratorPrelude prelude =
        new OrchestratorPrelude(config, new StackUpCommand.ProgressPrinter(err, began));
    TopologyStack stack;
    try {
      stack = TopologyStack.start(config, prelude, err, false);
    } catch (RuntimeException e) {
      prelude.abandon();
      throw e;
    }
    // why: the scheduler's shutdown stops the streaming jobs, which need Kafka and Cassandra
    stack.withoutShutdownHook();
    SluiceConfig effective = withSimulators(stack.config(config), stack.stack());
    SluiceConfig.publish(effective);
    err.printf(
        "%6.1fs  local stack ready%s; starting the orchestrator%n",
        elapsed(began),
        stack.stack().cassandraReady().isDone() ? "" : " but for Cassandra, still starting");
    Orchestrator o;
    try {
      o = prelude.scheduling(inThisProcess(effective, stack.stack()));
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    stopWhenCassandraFails(stack, err);
    err.printf(
        "%6.1fs  shipped DAGs: %s%n",
        elapsed(began),
        String.join(", ", o.bag.entries().stream().map(e -> e.dag().dagId()).sorted().toList()));
    err.println(
        "web UI and REST API on http://127.0.0.1:"
            + effective.get(WebSettings.WEB_PORT)
            + "; users land in "
            + effective.get(Settings.USERS_KEYSPACE)
            + "."
            + effective.get(Settings.USERS_TABLE)
            + " (`sluice cql \"SELECT count(*) FROM "
            + effective.get(Settings.USERS_KEYSPACE)
            + "."
            + effective.get(Settings.USERS_TABLE)
            + "\"`)");
    dumpClassArchiveLater(err, began);
    SchedulerCommand.runUntilStopped(o, true, List.of(stack));
  }

  /**
   * When the {@code sluice} script started this JVM to write its class-data-sharing archive (none
   * yet for this build): writes it once the stack has run {@link #ARCHIVE_AFTER} and the machine's
   * load is at most {@link JvmFlags#DUMP_MAX_LOAD_PER_CORE} per core, looking again every {@link
   * #ARCHIVE_AFTER}; later starts map it. The JVM, Kafka broker included, pauses while it writes (a
   * second or two on a quiet machine, once per build).
   */
  private static void dumpClassArchiveLater(PrintStream err, long began) {
    if (!ClassArchive.dumpRequested()) return;
    Thread t =
        new Thread(
            () -> {
              try {
                do Thread.sleep(ARCHIVE_AFTER.toMillis());
                while (JvmFlags.loadPerCore() > JvmFlags.DUMP_MAX_LOAD_PER_CORE);
              } catch (InterruptedException e) {
                return;
              }
              ClassArchive.dumpNow()
                  .ifPresent(
                      a ->
                          err.printf(
                              "%6.1fs  wrote the class-data-sharing archive %s%n",
                              elapsed(began), a));
            },
            "sluice-class-archive");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Ends {@code sluice up} with an error when the embedded Cassandra, still starting while the
   * orchestrator runs, fails to: the shutdown hooks stop the scheduler, its jobs and the stack.
   */
  private static void stopWhenCassandraFails(TopologyStack stack, PrintStream err) {
    stack
        .stack()
        .cassandraReady()
        .whenComplete(
            (v, e) -> {
              if (e == null) return;
              Throwable cause =
                  e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
              err.println("error: " + cause.getMessage() + "; stopping");
              // why: exit() waits for the shutdown hooks; this callback may run on a thread they
              // wait for
              new Thread(() -> System.exit(1), "sluice-up-failed").start();
            });
  }

  /**
   * The configuration of this process's scheduler and web server: the metadata database opened in
   * this JVM when the stack serves it from here (its polling then costs no TCP round trips), the
   * published configuration's URL for everyone else.
   */
  static SluiceConfig inThisProcess(SluiceConfig config, LocalStack stack) {
    if (!stack.services().contains(Service.METADATA_DB)) return config;
    return stack
        .inProcessJdbcUrl()
        .map(url -> config.with(Settings.DB_URL, url, "local stack, in this process"))
        .orElse(config);
  }

  private static double elapsed(long began) {
    return (System.nanoTime() - began) / 1e9;
  }

  /** Points each REST source whose URL was left at its public default at the simulator. */
  static SluiceConfig withSimulators(SluiceConfig config, LocalStack stack) {
    if (!stack.services().contains(Service.API_SIMULATOR)) return config;
    String base = stack.simulatorUrl().toString().replaceAll("/$", "");
    Map<ConfigKey<String>, String> urls =
        Map.of(
            Settings.RANDOMUSER_URL, base + "/api/", Settings.OPENMETEO_URL, base + "/v1/forecast");
    SluiceConfig out = config;
    for (var e : urls.entrySet()) {
      boolean defaulted =
          config.describe().stream()
              .anyMatch(v -> v.key() == e.getKey() && v.origin().equals("default"));
      if (defaulted) out = out.with(e.getKey(), e.getValue(), "sluice up (API simulator)");
    }
    return out;
  }
}
