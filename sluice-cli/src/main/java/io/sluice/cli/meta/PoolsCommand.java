package io.sluice.cli.meta;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.service.PoolService;
import io.sluice.core.service.PoolView;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice pools list | set | delete}, as Airflow's pools. */
@Command(
    name = "pools",
    mixinStandardHelpOptions = true,
    description =
        "Manage pools: named numbers of slots that limit how many tasks run at once across DAGs"
            + " (a task takes pool_slots of its pool; default_pool has 128, -1 is unlimited).",
    subcommands = {PoolsCommand.ListPools.class, PoolsCommand.Set.class, PoolsCommand.Delete.class})
public final class PoolsCommand implements Runnable {
  static final List<String> COLUMNS = List.of("pool", "slots", "used_slots", "description");

  @Override
  public void run() {
    throw new CliException("choose a sub-command: list, set or delete (see --help)", 2);
  }

  /** {@code sluice pools list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List pools with the slots their queued and running tasks take.")
  static final class ListPools implements Runnable {
    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      try (MetadataAccess meta = MetadataAccess.open()) {
        List<PoolView> pools = new PoolService(meta.store).list();
        Output.print(output, pools.stream().map(PoolView::toMap).toList(), COLUMNS);
      }
    }
  }

  /** {@code sluice pools set NAME SLOTS DESCRIPTION}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Create a pool or change its slots and description.")
  static final class Set implements Runnable {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "SLOTS", description = "Slots; -1 for unlimited.")
    int slots;

    @Parameters(index = "2", paramLabel = "DESCRIPTION", arity = "0..1", defaultValue = "")
    String description;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      try (MetadataAccess meta = MetadataAccess.open()) {
        PoolView p = new PoolService(meta.store).set(name, slots, description);
        Output.print(output, List.of(p.toMap()), COLUMNS);
      }
    }
  }

  /** {@code sluice pools delete NAME}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a pool; refused for default_pool and for a pool with tasks in it.")
  static final class Delete implements Runnable {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public void run() {
      try (MetadataAccess meta = MetadataAccess.open()) {
        new PoolService(meta.store).delete(name);
      }
      System.out.println("pool " + name + " deleted");
    }
  }
}
