package io.sluice.cli.orchestrator;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.service.BackfillDateView;
import io.sluice.core.service.BackfillView;
import io.sluice.core.service.View;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice backfills}: the backfills the scheduler runs, and their pause and cancel. */
@Command(
    name = "backfills",
    mixinStandardHelpOptions = true,
    description =
        "List, show, pause, unpause and cancel backfills (create one with `sluice dags backfill`).",
    subcommands = {
      BackfillsCommand.ListBackfills.class,
      BackfillsCommand.Show.class,
      BackfillsCommand.Pause.class,
      BackfillsCommand.Unpause.class,
      BackfillsCommand.Cancel.class
    })
public final class BackfillsCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException("choose a sub-command (see `sluice backfills --help`)", 2);
  }

  static final List<String> COLUMNS =
      List.of(
          "id",
          "dag_id",
          "from_date",
          "to_date",
          "state",
          "progress",
          "reprocess_behavior",
          "max_active_runs",
          "run_backwards",
          "created_at",
          "completed_at");

  /** A table row: the view's fields, with the progress as {@code done/total (...)}. */
  static Map<String, Object> row(BackfillView b) {
    Map<String, Object> m = new LinkedHashMap<>(b.toMap());
    m.put("progress", progressText(b));
    return m;
  }

  static String progressText(BackfillView b) {
    BackfillView.Progress p = b.progress();
    return p.done()
        + "/"
        + p.total()
        + " (running "
        + (p.running() + p.queued())
        + ", success "
        + p.success()
        + ", failed "
        + p.failed()
        + ", skipped "
        + p.skipped()
        + ", pending "
        + p.pending()
        + ")";
  }

  /** Prints backfills as a table, or as their JSON views. */
  static void print(OutputFormat output, List<BackfillView> backfills) {
    Output.print(
        output,
        output == OutputFormat.json
            ? backfills.stream().map(View::toMap).toList()
            : backfills.stream().map(BackfillsCommand::row).toList(),
        COLUMNS);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List backfills.")
  static final class ListBackfills implements Runnable {
    @Option(
        names = {"-d", "--dag-id"},
        description = "Only this DAG's backfills.")
    String dagId;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        print(output, o.backfills.list(dagId));
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show a backfill and each of its logical dates with its run's state.")
  static final class Show implements Runnable {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        BackfillView b = o.backfills.get(id);
        List<BackfillDateView> dates = o.backfills.dates(id);
        if (output == OutputFormat.json) {
          Map<String, Object> m = new LinkedHashMap<>(b.toMap());
          m.put("dates", dates.stream().map(View::toMap).toList());
          Output.print(output, List.of(m), List.of());
          return;
        }
        print(output, List.of(b));
        System.out.println();
        Output.print(
            output,
            dates.stream().map(View::toMap).toList(),
            List.of("logical_date", "run_id", "state", "exception_reason"));
      }
    }
  }

  abstract static class Change implements Runnable {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    abstract BackfillView apply(Orchestrator o);

    @Override
    public void run() {
      try (Orchestrator o = Orchestrator.open()) {
        print(output, List.of(apply(o)));
      }
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      description = "Pause a backfill: the scheduler makes no new runs for it; runs go on.")
  static final class Pause extends Change {
    @Override
    BackfillView apply(Orchestrator o) {
      return o.backfills.pause(id);
    }
  }

  @Command(
      name = "unpause",
      mixinStandardHelpOptions = true,
      description = "Resume a paused backfill.")
  static final class Unpause extends Change {
    @Override
    BackfillView apply(Orchestrator o) {
      return o.backfills.unpause(id);
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description =
          "Cancel a backfill for good: no new runs, its queued runs fail, running ones finish.")
  static final class Cancel extends Change {
    @Override
    BackfillView apply(Orchestrator o) {
      return o.backfills.cancel(id);
    }
  }
}
