package io.sluice.cli.topics;

import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.ConsumerGroups;
import io.sluice.ingest.kafka.TopicProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice groups list | describe | reset-offsets}: Kafka's consumer groups. */
@Command(
    name = "groups",
    mixinStandardHelpOptions = true,
    description =
        "List Kafka consumer groups, show their offsets and lag, and reset the offsets of an"
            + " inactive group (as kafka-consumer-groups.sh).",
    subcommands = {
      GroupsCommand.ListGroups.class,
      GroupsCommand.Describe.class,
      GroupsCommand.Reset.class
    })
public final class GroupsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static <T> T withGroups(Function<ConsumerGroups, T> work) {
    SluiceConfig config = SluiceConfig.load();
    try (Admin admin = TopicProvisioner.admin(config)) {
      return work.apply(new ConsumerGroups(admin, Duration.ofSeconds(30)));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CliException(e.getMessage());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List consumer groups.")
  static final class ListGroups implements Runnable {
    @Option(names = "--output", defaultValue = "table", description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (var g : withGroups(ConsumerGroups::list)) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("group", g.groupId());
        row.put("state", g.state());
        rows.add(row);
      }
      Output.print(output, rows, List.of("group", "state"));
    }
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description =
          "A group's state and, per partition, its committed offset, the log end offset, the lag"
              + " and the consumer that owns it.")
  static final class Describe implements Runnable {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Option(names = "--output", defaultValue = "table", description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      ConsumerGroups.Description d = withGroups(g -> g.describe(group));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (var p : d.lags()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("group", d.groupId());
        row.put("topic", p.partition().topic());
        row.put("partition", p.partition().partition());
        row.put("current_offset", p.committed() == null ? "-" : p.committed());
        row.put("log_end_offset", p.end());
        row.put("lag", p.lag() == null ? "-" : p.lag());
        row.put("consumer_id", p.consumerId() == null ? "-" : p.consumerId());
        rows.add(row);
      }
      if (output == OutputFormat.table)
        System.out.println(
            "group " + d.groupId() + " (" + d.state() + ", " + d.members() + " member(s))");
      Output.print(
          output,
          rows,
          List.of(
              "group",
              "topic",
              "partition",
              "current_offset",
              "log_end_offset",
              "lag",
              "consumer_id"));
    }
  }

  @Command(
      name = "reset-offsets",
      mixinStandardHelpOptions = true,
      description = {
        "Move an inactive group's committed offsets; refused while the group has consumers.",
        "Without --execute, prints the new offsets and changes nothing (Kafka's dry run)."
      })
  static final class Reset implements Runnable {
    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Option(
        names = "--topic",
        description =
            "Topics to reset (repeatable; default: every topic the group has offsets on).")
    List<String> topics = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    To to;

    static final class To {
      @Option(names = "--to-earliest", description = "To each partition's oldest offset.")
      boolean earliest;

      @Option(names = "--to-latest", description = "To each partition's end.")
      boolean latest;

      @Option(
          names = "--to-datetime",
          paramLabel = "TIME",
          description =
              "To the first record at or after TIME (ISO-8601, e.g. 2024-03-01T00:00:00Z; no"
                  + " zone: UTC).")
      String datetime;

      @Option(
          names = "--shift-by",
          paramLabel = "N",
          description = "By N from the committed offset (negative: back).")
      Long shiftBy;
    }

    @Option(names = "--execute", description = "Apply the reset (default: only show it).")
    boolean execute;

    @Override
    public void run() {
      ConsumerGroups.Target target = target();
      var plan = withGroups(g -> g.reset(group, topics, target, execute));
      List<Map<String, Object>> rows = new ArrayList<>();
      plan.forEach(
          (tp, offset) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("group", group);
            row.put("topic", tp.topic());
            row.put("partition", tp.partition());
            row.put("new_offset", offset);
            rows.add(row);
          });
      Output.print(OutputFormat.table, rows, List.of("group", "topic", "partition", "new_offset"));
      System.out.println(
          execute ? "offsets reset" : "dry run: nothing changed; add --execute to apply");
    }

    private ConsumerGroups.Target target() {
      if (to.earliest) return new ConsumerGroups.ToEarliest();
      if (to.latest) return new ConsumerGroups.ToLatest();
      if (to.shiftBy != null) return new ConsumerGroups.ShiftBy(to.shiftBy);
      return new ConsumerGroups.ToDatetime(instant(to.datetime));
    }

    static Instant instant(String s) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e2) {
          throw new CliException(
              "--to-datetime: '" + s + "' is not an ISO-8601 time such as 2024-03-01T00:00:00Z", 2);
        }
      }
    }
  }
}
