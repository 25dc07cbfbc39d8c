package io.sluice.cli.ingest;

import io.sluice.cli.CliException;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.IngestSummary;
import io.sluice.ingest.WeatherIngest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice ingest weather}: Open-Meteo hourly and daily weather to the weather topics. */
@Command(
    name = "weather",
    mixinStandardHelpOptions = true,
    description = {
      "Fetch hourly and daily weather from Open-Meteo (BASE_URL) for a list of locations and publish",
      "it to the hourly and daily topics. With --from/--to it is a backfill, chunked by dates, which",
      "resumes after the last committed chunk when run again."
    })
public final class IngestWeatherCommand implements Callable<Integer> {
  @Option(
      names = "--latitudes",
      required = true,
      split = ",",
      description = "Latitudes, comma-separated.")
  List<Double> latitudes;

  @Option(
      names = "--longitudes",
      required = true,
      split = ",",
      description = "Longitudes, comma-separated.")
  List<Double> longitudes;

  @Option(
      names = "--hourly",
      split = ",",
      description =
          "Hourly variables (default: temperature_2m,relative_humidity_2m,precipitation,wind_speed_10m).")
  List<String> hourly = List.of();

  @Option(
      names = "--daily",
      split = ",",
      description =
          "Daily variables (default: temperature_2m_max,temperature_2m_min,precipitation_sum).")
  List<String> daily = List.of();

  @Option(names = "--from", description = "First day of a backfill (yyyy-mm-dd).")
  LocalDate from;

  @Option(names = "--to", description = "Last day of a backfill (yyyy-mm-dd).")
  LocalDate to;

  @Option(
      names = "--timezone",
      defaultValue = "GMT",
      description = "IANA zone of local times (default: ${DEFAULT-VALUE}).")
  String timezone;

  @Option(
      names = "--locations-per-request",
      defaultValue = "50",
      description = "Locations per request (default: ${DEFAULT-VALUE}).")
  int locationsPerRequest;

  @Option(
      names = "--days-per-request",
      defaultValue = "92",
      description = "Days per request of a backfill (default: ${DEFAULT-VALUE}).")
  int daysPerRequest;

  @Option(
      names = "--output",
      defaultValue = "table",
      description = "Summary as table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() {
    if ((from == null) != (to == null)) throw new CliException("--from and --to go together", 2);
    if (latitudes.size() != longitudes.size())
      throw new CliException(
          latitudes.size()
              + " latitudes but "
              + longitudes.size()
              + " longitudes: give one of each per location",
          2);
    SluiceConfig config = SluiceConfig.load();
    Progress progress = Progress.onTerminal("weather");
    IngestSummary summary;
    try {
      summary =
          WeatherIngest.builder(config)
              .locations(latitudes, longitudes)
              .hourly(hourly)
              .daily(daily)
              .timezone(timezone)
              .range(from, to)
              .locationsPerRequest(locationsPerRequest)
              .daysPerRequest(daysPerRequest)
              .listener(progress)
              .build()
              .run();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), 2);
    } finally {
      progress.done();
    }
    Progress.printSummary(output, summary, Map.of());
    return 0;
  }
}
