package io.sluice.cli.orchestrator;

import io.sluice.api.Dag;
import io.sluice.api.DagRunState;
import io.sluice.api.TaskSpec;
import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.engine.DagBag;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.ImportError;
import io.sluice.core.service.DagRunView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice dags ...}: Airflow's {@code airflow dags} commands. */
@Command(
    name = "dags",
    mixinStandardHelpOptions = true,
    description = "List, inspect, trigger, pause, backfill, test and delete DAGs.",
    subcommands = {
      DagsCommand.ListDags.class,
      DagsCommand.ListImportErrors.class,
      DagsCommand.Show.class,
      DagsCommand.ListRuns.class,
      DagInspectCommands.State.class,
      DagInspectCommands.NextExecution.class,
      DagInspectCommands.Details.class,
      DagInspectCommands.Delete.class,
      DagsCommand.Trigger.class,
      DagsCommand.Pause.class,
      DagsCommand.Unpause.class,
      DagsBackfillCommand.class,
      DagTestCommand.class
    })
public final class DagsCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException("choose a sub-command (see `sluice dags --help`)", 2);
  }

  static final List<String> RUN_COLUMNS =
      List.of(
          "dag_id",
          "run_id",
          "state",
          "run_type",
          "logical_date",
          "data_interval_start",
          "data_interval_end",
          "start_date",
          "end_date");

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List the DAGs of the DAGs folder (SLUICE_DAGS_FOLDER) as parsed now.",
        "Writes nothing; is_paused comes from the metadata database when it knows the DAG."
      })
  static final class ListDags implements Runnable {
    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      DagFolder folder = DagFolder.load();
      Map<String, Boolean> paused = folder.pausedFlags();
      List<Map<String, Object>> rows = new ArrayList<>();
      Instant now = Instant.now();
      for (DagBag.Entry e :
          folder.bag.entries().stream()
              .sorted(Comparator.comparing(x -> x.dag().dagId()))
              .toList()) {
        DagRecord d = e.record(now);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dag_id", d.dagId());
        row.put("fileloc", d.source());
        row.put("is_paused", paused.getOrDefault(d.dagId(), d.paused()));
        row.put("schedule", d.schedule());
        rows.add(row);
      }
      Output.print(output, rows, List.of("dag_id", "fileloc", "is_paused", "schedule"));
    }
  }

  @Command(
      name = "list-import-errors",
      mixinStandardHelpOptions = true,
      description =
          "List DAG files of the DAGs folder that cannot be loaded now, with line and problem;"
              + " writes nothing.")
  static final class ListImportErrors implements Runnable {
    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ImportError e : DagFolder.load().bag.importErrors()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("filepath", e.source());
        row.put("line", e.line());
        row.put("error", e.message());
        rows.add(row);
      }
      Output.print(output, rows, List.of("filepath", "line", "error"));
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print a DAG's tasks and dependencies as Graphviz DOT.")
  static final class Show implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Override
    public void run() {
      Dag dag = DagFolder.load().dag(dagId);
      StringBuilder sb = new StringBuilder("digraph \"" + dag.dagId() + "\" {\n  rankdir=LR;\n");
      for (String id : dag.topologicalOrder()) {
        TaskSpec t = dag.task(id);
        sb.append("  \"")
            .append(id)
            .append("\" [label=\"")
            .append(id)
            .append("\\n")
            .append(t.triggerRule().value())
            .append("\"];\n");
      }
      for (String id : dag.topologicalOrder())
        for (String d : dag.downstream(id))
          sb.append("  \"").append(id).append("\" -> \"").append(d).append("\";\n");
      sb.append("}");
      System.out.println(sb);
    }
  }

  @Command(
      name = "list-runs",
      mixinStandardHelpOptions = true,
      description = "List the runs of a DAG, newest first.")
  static final class ListRuns implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG", arity = "0..1")
    String dagId;

    @Option(
        names = {"-d", "--dag-id"},
        description = "The DAG (instead of the positional argument).")
    String dagOption;

    @Option(
        names = "--state",
        description = "Only runs in this state (queued, running, success, failed).")
    String state;

    @Option(names = "--limit", defaultValue = "100")
    int limit;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      String id = dagId != null ? dagId : dagOption;
      if (id == null) throw new CliException("give the DAG id", 2);
      try (Orchestrator o = Orchestrator.open()) {
        DagRunState only;
        try {
          only = state == null ? null : DagRunState.fromDb(state);
        } catch (IllegalArgumentException e) {
          throw new CliException("unknown run state '" + state + "'", 2);
        }
        List<Map<String, Object>> rows =
            o.runs.runs(id, only, limit).stream().map(DagRunView::toMap).toList();
        Output.print(output, rows, RUN_COLUMNS);
      }
    }
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = {
        "Create a manual run; the scheduler runs it.",
        "The conf and the logical date are checked against the DAG's params first; a refusal"
            + " names the param and creates no run."
      })
  static final class Trigger implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Option(
        names = {"-c", "--conf"},
        description =
            "Run configuration as a JSON object; overrides params, checked against their types.")
    String conf;

    @Option(
        names = {"-e", "--logical-date", "--exec-date"},
        description = "Logical date (default: now).")
    String logicalDate;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        Dag dag = o.dag(dagId);
        Instant at =
            logicalDate == null ? null : Orchestrator.parseDate(logicalDate, dag.timezone());
        DagRunView run = o.runs.trigger(dagId, conf == null ? "{}" : conf, at);
        Output.print(output, List.of(run.toMap()), RUN_COLUMNS);
      }
    }
  }

  abstract static class PauseBase implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    abstract boolean paused();

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        o.runs.setPaused(dagId, paused());
        System.out.println("Dag: " + dagId + ", paused: " + paused());
      }
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pause a DAG: no new runs, no new tasks.")
  static final class Pause extends PauseBase {
    @Override
    boolean paused() {
      return true;
    }
  }

  @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Resume a paused DAG.")
  static final class Unpause extends PauseBase {
    @Override
    boolean paused() {
      return false;
    }
  }

  /** Waits for the run to finish; Ctrl-C ends the wait (exit 130). */
  static DagRunView await(Orchestrator o, DagRunView run) {
    try {
      return o.runs.await(run.dagId(), run.runId(), Duration.ofDays(3650));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted", 130);
    }
  }
}
