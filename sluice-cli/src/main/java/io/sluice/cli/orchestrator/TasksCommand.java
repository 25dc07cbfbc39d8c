package io.sluice.cli.orchestrator;

import io.sluice.api.Dag;
import io.sluice.api.TaskSpec;
import io.sluice.api.TaskState;
import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.engine.DagTester;
import io.sluice.core.engine.TaskTester;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.service.TaskInstanceView;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice tasks ...}: Airflow's {@code airflow tasks} commands. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    description =
        "List, test and clear tasks; show the state of a task or of every task of a run, a try's"
            + " log and its rendered template.",
    subcommands = {
      TasksCommand.ListTasks.class,
      TasksCommand.Test.class,
      TasksCommand.Clear.class,
      TasksCommand.StatesForRun.class,
      TasksCommand.State.class,
      TasksCommand.Logs.class,
      TasksRenderCommand.class
    })
public final class TasksCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException("choose a sub-command (see `sluice tasks --help`)", 2);
  }

  static final List<String> TI_COLUMNS =
      List.of(
          "dag_id", "run_id", "task_id", "state", "try_number", "start_date", "end_date", "note");

  static Map<String, Object> tiRow(TaskInstance ti) {
    return TaskInstanceView.of(ti).toMap();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a DAG's tasks, upstream first, as the DAGs folder has it now.")
  static final class ListTasks implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      Dag dag = DagFolder.load().dag(dagId);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (String id : dag.topologicalOrder()) {
        TaskSpec t = dag.task(id);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dag_id", dagId);
        row.put("task_id", id);
        row.put("upstream", String.join(",", t.upstream()));
        row.put("trigger_rule", t.triggerRule().value());
        row.put("retries", t.retries());
        row.put("pool", t.pool());
        rows.add(row);
      }
      Output.print(
          output,
          rows,
          List.of("dag_id", "task_id", "upstream", "trigger_rule", "retries", "pool"));
    }
  }

  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = {
        "Run one task once in this process, ignoring dependencies, on a throw-away in-memory"
            + " database; variables and connections are read from the metadata database.",
        "A stream task is refused: its job belongs to the scheduler that supervises it."
      })
  static final class Test implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Parameters(index = "1", paramLabel = "TASK")
    String taskId;

    @Parameters(
        index = "2",
        paramLabel = "DATE",
        arity = "0..1",
        description = "Logical date (default: now).")
    String date;

    @Override
    public void run() {
      try (TestEngine t = TestEngine.open()) {
        Dag dag = t.dag(dagId);
        if (!dag.tasks().containsKey(taskId))
          throw new CliException("DAG '" + dagId + "' has no task '" + taskId + "'");
        try {
          DagTester.refuseServiceTasks(dag, List.of(taskId));
        } catch (IllegalArgumentException e) {
          throw new CliException(e.getMessage(), 2);
        }
        Instant at = date == null ? Instant.now() : Orchestrator.parseDate(date, dag.timezone());
        TaskTester.Result r =
            TaskTester.run(dag, taskId, at, t.store, Clock.systemUTC(), t.connections);
        r.log().forEach(System.out::println);
        System.out.println(
            taskId
                + ": "
                + r.state().dbValue()
                + (r.returnValue() == null ? "" : ", returned " + r.returnValue()));
        if (r.state() == TaskState.FAILED)
          throw new CliException(taskId + " failed: " + r.error(), 1);
      }
    }
  }

  @Command(
      name = "clear",
      mixinStandardHelpOptions = true,
      description = "Clear task instances of a run so that they run again.")
  static final class Clear implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Option(
        names = {"-r", "--run-id"},
        defaultValue = "latest",
        description = "The run (default: latest).")
    String runId;

    @Option(
        names = {"-t", "--task-regex"},
        description = "Only tasks whose id matches this regular expression.")
    String regex;

    @Option(
        names = {"-d", "--downstream"},
        description = "Also clear the tasks downstream of the matched ones.")
    boolean downstream;

    @Option(
        names = {"-f", "--only-failed"},
        description = "Only failed and upstream_failed tasks.")
    boolean onlyFailed;

    @Option(
        names = {"-y", "--yes"},
        description =
            "Do not ask for confirmation (kept for Airflow compatibility; clear never prompts).")
    boolean yes;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        Dag dag = o.dag(dagId);
        DagRun run = o.run(dagId, runId);
        Pattern p = regex == null ? null : Pattern.compile(regex);
        Set<String> selected = new LinkedHashSet<>();
        for (TaskInstance ti : o.store.inTransaction(tx -> tx.taskInstances(dagId, run.runId()))) {
          if (p != null && !p.matcher(ti.taskId()).find()) continue;
          if (onlyFailed
              && ti.state() != TaskState.FAILED
              && ti.state() != TaskState.UPSTREAM_FAILED) continue;
          selected.add(ti.taskId());
        }
        if (selected.isEmpty()) {
          System.out.println("nothing to clear");
          return;
        }
        int n = o.runs.clear(dagId, run.runId(), selected, downstream);
        System.out.println(
            "cleared " + n + " task instances of " + dag.dagId() + " " + run.runId());
      }
    }
  }

  @Command(
      name = "states-for-run",
      mixinStandardHelpOptions = true,
      description = "Task states of one run (RUN may be `latest`).")
  static final class StatesForRun implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Parameters(index = "1", paramLabel = "RUN")
    String runId;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        DagRun run = o.run(dagId, runId);
        List<Map<String, Object>> rows =
            o.store.inTransaction(tx -> tx.taskInstances(dagId, run.runId())).stream()
                .map(TasksCommand::tiRow)
                .toList();
        Output.print(output, rows, TI_COLUMNS);
      }
    }
  }

  @Command(
      name = "state",
      mixinStandardHelpOptions = true,
      description = {
        "Print the state of one task instance; the run is named by its run id, `latest`, or its"
            + " logical date (2024-01-01 is midnight in the DAG's time zone).",
        "Prints the state alone, as Airflow does; --output table or json prints the whole instance."
      })
  static final class State implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Parameters(index = "1", paramLabel = "TASK")
    String taskId;

    @Parameters(index = "2", paramLabel = "RUN_OR_DATE")
    String run;

    @Option(
        names = {"-o", "--output"},
        description = "table or json (default: the state alone)")
    OutputFormat output;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        TaskInstanceView ti = o.dags.taskInstance(dagId, taskId, run);
        if (output == null) System.out.println(ti.state() == null ? "None" : ti.state());
        else Output.print(output, List.of(ti.toMap()), TI_COLUMNS);
      }
    }
  }

  @Command(
      name = "logs",
      mixinStandardHelpOptions = true,
      description = "Print the log of one try of a task (RUN may be `latest`).")
  static final class Logs implements Runnable {
    @Parameters(index = "0", paramLabel = "DAG")
    String dagId;

    @Parameters(index = "1", paramLabel = "TASK")
    String taskId;

    @Parameters(index = "2", paramLabel = "RUN", defaultValue = "latest", arity = "0..1")
    String runId;

    @Option(names = "--try", description = "Try number (default: the latest).")
    Integer tryNumber;

    @Option(
        names = {"-f", "--follow"},
        description =
            "Keep printing lines as the try writes them (they are stored within a second),"
                + " until the try ends or Ctrl-C.")
    boolean follow;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        DagRun run = o.run(dagId, runId);
        TaskInstance ti = taskInstance(o, run.runId());
        int t = tryNumber != null ? tryNumber : Math.max(1, ti.tryNumber());
        int printed = print(o, run.runId(), t, 0);
        while (follow && !tryEnded(taskInstance(o, run.runId()), t)) {
          sleep();
          printed = print(o, run.runId(), t, printed);
        }
        if (follow) print(o, run.runId(), t, printed);
      }
    }

    private TaskInstance taskInstance(Orchestrator o, String run) {
      return o.store
          .inTransaction(tx -> tx.taskInstance(dagId, run, taskId))
          .orElseThrow(() -> new CliException("no task '" + taskId + "' in " + run));
    }

    /** Prints the lines after the first {@code from}; returns how many lines the log has. */
    private int print(Orchestrator o, String run, int tryNo, int from) {
      List<String> lines = o.store.inTransaction(tx -> tx.readLog(dagId, run, taskId, tryNo));
      for (int i = from; i < lines.size(); i++) System.out.println(lines.get(i));
      System.out.flush();
      return Math.max(from, lines.size());
    }

    private static boolean tryEnded(TaskInstance ti, int tryNo) {
      return ti.tryNumber() > tryNo || (ti.tryNumber() == tryNo && !ti.state().isActive());
    }

    private static void sleep() {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted");
      }
    }
  }
}
