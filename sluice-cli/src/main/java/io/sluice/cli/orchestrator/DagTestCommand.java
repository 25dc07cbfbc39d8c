package io.sluice.cli.orchestrator;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskState;
import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.DagTester;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.service.DagRunView;
import io.sluice.core.service.TaskInstanceView;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice dags test DAG [DATE]}: one run of one DAG in this process, on a throw-away
 * in-memory database; nothing else runs and nothing outside it is written unless {@code --persist}.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    description = {
      "Run one run of one DAG in this process on a throw-away in-memory database, printing each"
          + " task's log lines and state as they happen; no other DAG runs.",
      "Variables and connections are read from the metadata database, which is not written"
          + " unless --persist. A DAG with a stream task is refused: its job belongs to the"
          + " scheduler that supervises it."
    })
public final class DagTestCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "DAG")
  String dagId;

  @Parameters(
      index = "1",
      paramLabel = "DATE",
      arity = "0..1",
      description = "Logical date (default: now).")
  String date;

  @Option(
      names = {"-c", "--conf"},
      description = "Run configuration as a JSON object, checked against the DAG's params.")
  String conf;

  @Option(
      names = "--persist",
      description =
          "Also record the finished run, its task instances, logs and XComs in the metadata"
              + " database, as run type `test`, which no scheduler starts or evaluates.")
  boolean persist;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json")
  OutputFormat output;

  @Override
  public void run() {
    try (TestEngine t = TestEngine.open()) {
      Dag dag = t.dag(dagId);
      Instant at = date == null ? null : Orchestrator.parseDate(date, dag.timezone());
      DagTester tester;
      try {
        tester =
            new DagTester(
                dag, t.store, Clock.systemUTC(), t.connections, EngineOptions.from(t.config));
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage(), 2);
      }
      try (tester) {
        DagRunView done = tester.run(conf == null ? "{}" : conf, at, printer(System.err));
        if (persist) persist(t.config, tester, done);
        List<Map<String, Object>> rows =
            tester.engine().runs().taskInstances(dagId, done.runId()).stream()
                .map(TaskInstanceView::toMap)
                .toList();
        Output.print(output, rows, TasksCommand.TI_COLUMNS);
        if (done.runState() != DagRunState.SUCCESS)
          throw new CliException("DAG run " + done.runId() + " " + done.state(), 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted", 130);
      }
    }
  }

  private static void persist(SluiceConfig config, DagTester tester, DagRunView done) {
    try (JdbcStore metadata = MetadataDatabases.open(config, 2)) {
      metadata.migrate();
      if (tester.copyTo(metadata, done.runId()))
        System.err.println("recorded " + done.runId() + " in " + metadata.describe());
      else
        throw new CliException(
            "not recorded: the metadata database has a run of '"
                + done.dagId()
                + "' at logical date "
                + done.logicalDate(),
            1);
    }
  }

  /** Prints each log line and state change as {@code task #try | line}. */
  static DagTester.Listener printer(PrintStream out) {
    return new DagTester.Listener() {
      @Override
      public void state(String taskId, int tryNumber, TaskState state) {
        out.println(taskId + " #" + tryNumber + " " + state.dbValue());
      }

      @Override
      public void log(String taskId, int tryNumber, String line) {
        out.println(taskId + " #" + tryNumber + " | " + line);
      }
    };
  }
}
