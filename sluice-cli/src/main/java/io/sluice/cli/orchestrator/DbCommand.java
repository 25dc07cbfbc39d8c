package io.sluice.cli.orchestrator;

import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice db migrate | init | check | reset}: the metadata database schema. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = "Manage the metadata database.",
    subcommands = {DbCommand.Migrate.class, DbCommand.Check.class, DbCommand.Reset.class})
public final class DbCommand implements Runnable {
  @Override
  public void run() {
    throw new CliException(
        "choose a sub-command: migrate (alias init), check or reset (see `sluice db --help`)", 2);
  }

  static JdbcStore open() {
    SluiceConfig config = SluiceConfig.load();
    return MetadataDatabases.open(config, 2);
  }

  @Command(
      name = "migrate",
      aliases = "init",
      mixinStandardHelpOptions = true,
      description = "Create or upgrade the schema (`db init` is an alias, as in Airflow).")
  static final class Migrate implements Runnable {
    @Override
    public void run() {
      try (JdbcStore store = open()) {
        store.migrate();
        System.out.println("migrated: " + store.describe());
      }
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Check that the database answers and its schema is current; exit 1 otherwise.")
  static final class Check implements Runnable {
    @Override
    public void run() {
      try (JdbcStore store = open()) {
        String d = store.describe();
        if (!store.upToDate()) throw new CliException(d + "; run `sluice db migrate`", 1);
        System.out.println("ok: " + d);
      }
    }
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description = "Drop all metadata and recreate the schema.")
  static final class Reset implements Runnable {
    @Option(
        names = {"-y", "--yes"},
        description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public void run() {
      if (!yes) {
        System.out.print(
            "This deletes all DAG runs, task instances, XComs, variables and logs. Proceed? (y/N) ");
        System.out.flush();
        String answer =
            System.console() != null
                ? System.console().readLine()
                : new java.util.Scanner(System.in).nextLine();
        if (!answer.trim().equalsIgnoreCase("y")) throw new CliException("cancelled", 1);
      }
      try (JdbcStore store = open()) {
        store.reset();
        System.out.println("reset: " + store.describe());
      }
    }
  }
}
