package io.sluice.cli.ingest;

import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.IngestSummary;
import io.sluice.ingest.UserIngest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice ingest users}: Random User pages to the users topic. */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch users from the Random User Generator (RANDOMUSER_URL) and publish them to the users topic,",
      "one Kafka transaction per page, or per few pages fetched while the last commit ran. Run it again",
      "with the same --seed to resume an interrupted run: it continues after the last committed user,",
      "without duplicates or gaps."
    })
public final class IngestUsersCommand implements Callable<Integer> {
  @Option(names = "--count", required = true, description = "Users to ingest.")
  long count;

  @Option(
      names = "--batch",
      defaultValue = "5000",
      description =
          "Users per request, 1..5000, never more than --count (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--seed",
      description =
          "Seed of the source; the same seed gives the same users. Default: a new random seed.")
  String seed;

  @Option(names = "--nat", description = "Nationalities, comma-separated (us,gb,de,...).")
  String nat;

  @Option(names = "--gender", description = "male or female.")
  String gender;

  @Option(
      names = "--output",
      defaultValue = "table",
      description = "Summary as table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() {
    SluiceConfig config = SluiceConfig.load();
    Progress progress = Progress.onTerminal("users");
    UserIngest ingest =
        UserIngest.builder(config)
            .count(count)
            .batch(batch)
            .seed(seed)
            .nat(nat)
            .gender(gender)
            .listener(progress)
            .build();
    IngestSummary summary;
    try {
      summary = ingest.run();
    } finally {
      progress.done();
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("seed", ingest.seed());
    Progress.printSummary(output, summary, extra);
    return 0;
  }
}
