package io.sluice.cli.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.launch.SparkJobProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice spark run users|weather [--from D --to D]}: a bounded run in a local job JVM. It
 * processes what the topics hold from the job's checkpoints (Spark's available-now trigger), or
 * re-processes a time range, then prints the rows written per table and the dead letters.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Process what is available from the checkpoints, or re-process --from/--to, and exit.",
      "Shares its checkpoints with the continuous job: stop that one first."
    })
public final class SparkRunCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The job: users or weather.")
  String job;

  @Option(names = "--from", description = "Backfill start: a UTC date (2024-01-01) or an instant.")
  String from;

  @Option(names = "--to", description = "Backfill end: a UTC date (inclusive) or an instant.")
  String to;

  @Option(
      names = "--timeout",
      defaultValue = "PT30M",
      description = "Longest the run may take (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json")
  OutputFormat output;

  @Override
  public Integer call() throws Exception {
    if (!List.of("users", "weather").contains(job))
      throw new CliException("unknown job '" + job + "': use users or weather", 2);
    if ((from == null) != (to == null)) throw new CliException("--from and --to go together", 2);
    SluiceConfig config = SluiceConfig.load();
    List<String> args = new ArrayList<>();
    if (from != null) args.addAll(List.of("--from", from, "--to", to));
    else args.add("--available-now");
    SparkJobProcess process;
    try {
      process = SparkJobProcess.start(config, job, args);
    } catch (IllegalStateException e) {
      throw new CliException(e.getMessage() + "; stop the stream before a bounded run", 1);
    }
    System.err.println(
        "running " + job + " (pid " + process.pid() + ", log " + process.log() + ")");
    int code = process.waitFor(timeout);
    if (process.isAlive()) {
      process.stop(Duration.ofSeconds(30));
      throw new CliException("the run took longer than " + timeout + "; stopped it", 1);
    }
    if (code != 0 || !Files.exists(process.summaryFile()))
      throw new CliException(
          "the " + job + " run failed (exit " + code + "):\n" + tail(process.log(), 20), 1);
    JsonNode summary = new ObjectMapper().readTree(process.summaryFile().toFile());
    List<Map<String, Object>> rows = new ArrayList<>();
    summary
        .path("rows")
        .fields()
        .forEachRemaining(
            e -> {
              Map<String, Object> row = new LinkedHashMap<>();
              row.put("sink", e.getKey());
              row.put("rows", e.getValue().asLong());
              rows.add(row);
            });
    Output.print(output, rows, List.of("sink", "rows"));
    return 0;
  }

  static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (Exception e) {
      return "(see " + log + ")";
    }
  }
}
