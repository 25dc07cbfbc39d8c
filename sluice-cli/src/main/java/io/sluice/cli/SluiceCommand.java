package io.sluice.cli;

import io.sluice.core.config.ConfigException;
import io.sluice.core.service.ServiceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command: every sub-command hangs off this one. */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Real-time data pipelines: REST ingest to Kafka, Spark to Cassandra and S3, orchestrated.",
    subcommands = {
      CommandLine.HelpCommand.class,
      io.sluice.cli.orchestrator.UpCommand.class,
      ConfigCommand.class,
      io.sluice.cli.orchestrator.DbCommand.class,
      io.sluice.cli.meta.ConnectionsCommand.class,
      io.sluice.cli.meta.VariablesCommand.class,
      io.sluice.cli.meta.PoolsCommand.class,
      io.sluice.cli.orchestrator.DagsCommand.class,
      io.sluice.cli.orchestrator.BackfillsCommand.class,
      io.sluice.cli.orchestrator.TasksCommand.class,
      io.sluice.cli.orchestrator.SchedulerCommand.class,
      io.sluice.cli.orchestrator.WorkerCommand.class,
      io.sluice.cli.orchestrator.StandaloneCommand.class,
      io.sluice.cli.stack.StackCommand.class,
      io.sluice.cli.orchestrator.WebserverCommand.class,
      io.sluice.cli.web.UsersCommand.class,
      io.sluice.cli.ingest.IngestCommand.class,
      io.sluice.cli.topics.TopicsCommand.class,
      io.sluice.cli.schemas.SchemasCommand.class,
      io.sluice.cli.topics.GroupsCommand.class,
      io.sluice.cli.spark.SparkCommand.class,
      io.sluice.cli.spark.CqlCommand.class,
      io.sluice.cli.audit.AuditCommand.class,
    })
public final class SluiceCommand implements Runnable {
  static {
    // why: H2 reads its bind address once, when its classes initialize; before anything else
    io.sluice.local.db.MetadataDb.bindToLoopback();
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the command line and returns its exit code; errors become one clear line, not a stack
   * trace.
   */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new SluiceCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          Throwable root = e;
          if (root instanceof ConfigException || root instanceof CliException) {
            commandLine.getErr().println("error: " + root.getMessage());
            return root instanceof CliException c ? c.exitCode() : 2;
          }
          if (root instanceof ServiceException s) {
            commandLine.getErr().println("error: " + s.getMessage());
            return s.reason() == ServiceException.Reason.INVALID ? 2 : 1;
          }
          commandLine.getErr().println("error: " + describe(root));
          if (System.getenv("SLUICE_DEBUG") != null) root.printStackTrace(commandLine.getErr());
          return 1;
        });
    cli.setExecutionStrategy(
        parsed -> {
          CommandLine.ParseResult leaf = parsed;
          while (leaf.hasSubcommand()) leaf = leaf.subcommand();
          if (!(leaf.commandSpec().userObject() instanceof RunningStack.Owner))
            RunningStack.useIfRunning();
          return new CommandLine.RunLast().execute(parsed);
        });
    return cli.execute(args);
  }

  private static String describe(Throwable t) {
    StringBuilder sb =
        new StringBuilder(
            String.valueOf(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
    Throwable c = t.getCause();
    while (c != null && c != t) {
      if (c.getMessage() != null && !sb.toString().contains(c.getMessage()))
        sb.append(": ").append(c.getMessage());
      t = c;
      c = c.getCause();
    }
    return sb.toString();
  }
}
