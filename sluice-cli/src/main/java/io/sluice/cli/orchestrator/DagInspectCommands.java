package io.sluice.cli.orchestrator;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.model.RunType;
import io.sluice.core.schedule.NextRun;
import io.sluice.core.service.DagDetailsView;
import io.sluice.core.service.DagRunView;
import io.sluice.core.service.DagView;
import io.sluice.core.service.ServiceException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice dags state | next-execution | details | delete}, as Airflow's. */
final class DagInspectCommands {
  private DagInspectCommands() {}

  @Command(
      name = "state",
      mixinStandardHelpOptions = true,
      description = {
        "Print the state of a DAG run, named by its run id, `latest`, or its logical date"
            + " (2024-01-01 is midnight in the DAG's time zone).",
        "Prints the state alone, as Airflow does; --output table or json prints the whole run."
      })
  static final class State implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN_OR_DATE")
    String run;

    @Option(
        names = {"-o", "--output"},
        description = "table or json (default: the state alone)")
    OutputFormat output;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        DagRunView r = o.dags.run(dagId, run);
        if (output == null) System.out.println(r.state());
        else Output.print(output, List.of(r.toMap()), DagsCommand.RUN_COLUMNS);
      }
    }
  }

  @Command(
      name = "next-execution",
      mixinStandardHelpOptions = true,
      description = {
        "Print the logical dates of the next scheduled runs, one a line (`None` when there is no"
            + " next run: a DAG triggered only by hand, or past its end date).",
        "A paused DAG gets a reminder on stderr: it creates no run until unpaused."
      })
  static final class NextExecution implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Option(
        names = {"-n", "--num-executions"},
        defaultValue = "1",
        description = "How many runs (default: 1).")
    int n;

    @Option(
        names = {"-o", "--output"},
        description = "table or json, with data intervals (default: the dates alone)")
    OutputFormat output;

    @Override
    public void run() {
      if (n < 1) throw new CliException("-n must be 1 or more", 2);
      try (Orchestrator o = Orchestrator.open()) {
        List<NextRun> next = o.dags.nextRuns(dagId, n);
        if (paused(o, dagId))
          System.err.println("DAG '" + dagId + "' is paused: it creates no run until unpaused");
        if (output == null) {
          if (next.isEmpty()) System.out.println("None");
          next.forEach(r -> System.out.println(RunType.timestamp(r.logicalDate())));
          return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NextRun r : next) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("logical_date", RunType.timestamp(r.logicalDate()));
          row.put("data_interval_start", RunType.timestamp(r.interval().start()));
          row.put("data_interval_end", RunType.timestamp(r.interval().end()));
          row.put("run_after", RunType.timestamp(r.runAfter()));
          rows.add(row);
        }
        Output.print(
            output,
            rows,
            List.of("logical_date", "data_interval_start", "data_interval_end", "run_after"));
      }
    }
  }

  /**
   * Whether the metadata database holds the DAG as paused; a DAG no scheduler stored yet is not.
   */
  private static boolean paused(Orchestrator o, String dagId) {
    try {
      return o.runs.dag(dagId).paused();
    } catch (ServiceException e) {
      return false; // why: read commands parse the folder; only the scheduler stores the DAG's row
    }
  }

  @Command(
      name = "details",
      mixinStandardHelpOptions = true,
      description = "Show a DAG: its stored state, its definition and its next scheduled run.")
  static final class Details implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table (one property a line) or json")
    OutputFormat output;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        DagDetailsView d = o.dags.details(dagId);
        Map<String, Object> fields = d.toMap();
        if (output == OutputFormat.json) {
          Output.print(output, List.of(fields), List.copyOf(fields.keySet()));
          return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        fields.forEach(
            (k, v) -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("property", k);
              row.put("value", v == null ? null : Output.compact(v));
              rows.add(row);
            });
        Output.print(output, rows, List.of("property", "value"));
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Delete a DAG's runs, task instances, XComs and logs, and its row in the metadata database.",
        "Refused while its tasks are queued or running. While its file stays in the DAGs folder,"
            + " the DAG is listed again at the next parse, with no history."
      })
  static final class Delete implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Option(
        names = {"-y", "--yes"},
        description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        DagView dag = o.runs.dag(dagId);
        if (!yes && !confirm(dag.dagId())) throw new CliException("cancelled; nothing deleted");
        int runs = o.dags.delete(dagId);
        System.out.println("deleted DAG " + dagId + " with " + runs + " run(s)");
        if (o.bag.entry(dagId).isPresent())
          System.err.println(
              "its file "
                  + dag.fileloc()
                  + " is still in the DAGs folder: the DAG is listed again at the next parse");
      }
    }

    private static boolean confirm(String dagId) {
      System.err.print(
          "This deletes every run, task instance, XCom and log of " + dagId + ". Proceed? (y/n) ");
      System.err.flush();
      try {
        String answer =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().equalsIgnoreCase("y");
      } catch (IOException e) {
        return false;
      }
    }
  }
}
