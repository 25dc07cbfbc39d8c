package io.sluice.cli.orchestrator;

import io.sluice.api.Dag;
import io.sluice.cli.CliException;
import io.sluice.cli.OutputFormat;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.model.DagRecord;
import io.sluice.core.service.BackfillRequest;
import io.sluice.core.service.BackfillView;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice dags backfill}: records a backfill that the running scheduler carries out, and
 * returns at once; {@code --wait} follows its progress, {@code --local} runs it in this process.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Create a backfill of a DAG for every logical date of its schedule from --from to --to"
          + " (both inclusive) and return at once; the running scheduler makes its runs, at most"
          + " --max-active-runs at a time. See `sluice backfills` to pause, resume or cancel it.",
      "With --local (when no scheduler runs), this process runs that backfill's runs and"
          + " nothing else, until it completes."
    })
final class DagsBackfillCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "DAG")
  String dagId;

  @Option(
      names = {"--from", "-s", "--start-date"},
      required = true,
      description = "First logical date (2024-01-01, midnight in the DAG's timezone, or ISO-8601).")
  String from;

  @Option(
      names = {"--to", "-e", "--end-date"},
      required = true,
      description = "Last logical date.")
  String to;

  @Option(
      names = "--reprocess",
      defaultValue = "none",
      description =
          "Dates that already have a run: none (leave them), failed (run failed ones again) or"
              + " completed (run every finished one again). Default: ${DEFAULT-VALUE}.")
  String reprocess;

  @Option(
      names = "--max-active-runs",
      description = "At most this many of its runs at once (default: 10).")
  Integer maxActiveRuns;

  @Option(names = "--run-backwards", description = "Newest logical date first.")
  boolean runBackwards;

  @Option(
      names = {"-c", "--conf"},
      description = "Conf of every run, a JSON object checked against the DAG's params.")
  String conf;

  @Option(names = "--wait", description = "Follow its progress until it completes.")
  boolean await;

  @Option(
      names = "--local",
      description =
          "Run its runs in this process (when no scheduler runs); runs no other DAG. Implies"
              + " --wait.")
  boolean local;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json")
  OutputFormat output;

  @Override
  public void run() {
    try (Orchestrator o = Orchestrator.open()) {
      Dag dag = o.dag(dagId);
      Instant start = Orchestrator.parseDate(from, dag.timezone());
      Instant end = Orchestrator.parseDate(to, dag.timezone());
      if (local && o.store.inTransaction(tx -> tx.dag(dagId)).map(DagRecord::paused).orElse(false))
        throw new CliException("DAG '" + dagId + "' is paused; unpause it to run the backfill");
      BackfillView b =
          o.backfills.create(
              new BackfillRequest(dagId, start, end, conf, reprocess, maxActiveRuns, runBackwards));
      System.err.println(
          "backfill " + b.id() + " of " + dagId + ": " + b.progress().total() + " logical dates");
      if (local) {
        try (EngineLoop s = o.backfillOf(dag, b.id()).start()) {
          b = follow(o, b);
        }
      } else if (await) {
        b = follow(o, b);
      }
      BackfillsCommand.print(output, List.of(b));
      if (b.progress().failed() > 0)
        throw new CliException(b.progress().failed() + " backfill runs failed", 1);
    }
  }

  private static BackfillView follow(Orchestrator o, BackfillView b) {
    PrintStream err = System.err;
    boolean tty = System.console() != null;
    try {
      BackfillView done =
          o.backfills.await(
              b.id(),
              Duration.ofDays(3650),
              v -> err.print(bar(v) + (tty ? "\r" : System.lineSeparator())));
      if (tty) err.println();
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted; the backfill goes on", 130);
    }
  }

  /** {@code [#########...........] 9/20 (running 2, ...)}. */
  static String bar(BackfillView b) {
    int width = 30;
    int total = Math.max(1, b.progress().total());
    int filled = b.progress().done() * width / total;
    return "["
        + "#".repeat(filled)
        + ".".repeat(width - filled)
        + "] "
        + BackfillsCommand.progressText(b)
        + " "
        + b.state();
  }
}
