package io.sluice.ingest;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.DeadLetters;
import io.sluice.ingest.kafka.Headers;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.kafka.ProgressStore;
import io.sluice.ingest.kafka.TopicFormats;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.ingest.kafka.TransactionalPublisher;
import io.sluice.ingest.openmeteo.OpenMeteoClient;
import io.sluice.ingest.openmeteo.OpenMeteoParser;
import io.sluice.ingest.openmeteo.ParsedWeather;
import io.sluice.ingest.source.HttpSource;
import io.sluice.ingest.source.SourcePolicy;
import io.sluice.ingest.source.TransientSourceException;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordFormat;
import io.sluice.records.RecordType;
import io.sluice.records.RecordWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests Open-Meteo hourly and daily weather for a list of locations into the hourly and daily
 * topics. Requests are chunked by batches of locations and, for a backfill, by date ranges; each
 * request's records are committed in one Kafka transaction. A backfill (with {@code from}/{@code
 * to}) run again with the same parameters resumes after the last committed chunk.
 *
 * <pre>{@code
 * IngestSummary s = WeatherIngest.builder(config)
 *     .locations(List.of(new double[] {52.52, 13.41}))
 *     .hourly(List.of("temperature_2m")).daily(List.of("temperature_2m_max"))
 *     .range(LocalDate.parse("2024-01-01"), LocalDate.parse("2024-01-31"))
 *     .build().run();
 * }</pre>
 */
public final class WeatherIngest {
  private static final Logger LOG = LoggerFactory.getLogger(WeatherIngest.class);
  public static final List<String> DEFAULT_HOURLY =
      List.of("temperature_2m", "relative_humidity_2m", "precipitation", "wind_speed_10m");
  public static final List<String> DEFAULT_DAILY =
      List.of("temperature_2m_max", "temperature_2m_min", "precipitation_sum");

  private final SluiceConfig config;
  private final List<double[]> locations;
  private final List<String> hourly;
  private final List<String> daily;
  private final String timezone;
  private final LocalDate from;
  private final LocalDate to;
  private final int locationsPerRequest;
  private final int daysPerRequest;
  private final String runId;
  private final SourcePolicy policy;
  private final IngestListener listener;
  private final Clock clock;
  private final RecordFormat format;

  private WeatherIngest(Builder b) {
    this.config = b.config;
    this.locations = List.copyOf(b.locations);
    boolean none = b.hourly.isEmpty() && b.daily.isEmpty();
    this.hourly = none ? DEFAULT_HOURLY : List.copyOf(b.hourly);
    this.daily = none ? DEFAULT_DAILY : List.copyOf(b.daily);
    this.timezone = b.timezone;
    this.from = b.from;
    this.to = b.to;
    this.locationsPerRequest = b.locationsPerRequest;
    this.daysPerRequest = b.daysPerRequest;
    this.runId = b.runId != null ? b.runId : UUID.randomUUID().toString();
    this.policy = b.policy != null ? b.policy : SourcePolicy.from(config);
    this.listener = b.listener;
    this.clock = b.clock;
    this.format = b.format;
    if (locations.isEmpty()) throw new IllegalArgumentException("at least one location is needed");
    if ((from == null) != (to == null))
      throw new IllegalArgumentException("from and to go together");
    if (from != null && to.isBefore(from))
      throw new IllegalArgumentException("to (" + to + ") is before from (" + from + ")");
  }

  public static Builder builder(SluiceConfig config) {
    return new Builder(config);
  }

  public String runId() {
    return runId;
  }

  /** One request: a batch of locations and a date range (null for the API's default). */
  record Chunk(List<double[]> locations, LocalDate from, LocalDate to) {}

  List<Chunk> chunks() {
    var chunks = new ArrayList<Chunk>();
    for (int i = 0; i < locations.size(); i += locationsPerRequest) {
      var batch = locations.subList(i, Math.min(locations.size(), i + locationsPerRequest));
      if (from == null) {
        chunks.add(new Chunk(batch, null, null));
        continue;
      }
      for (LocalDate start = from; !start.isAfter(to); start = start.plusDays(daysPerRequest)) {
        LocalDate end = start.plusDays(daysPerRequest - 1L);
        chunks.add(new Chunk(batch, start, end.isAfter(to) ? to : end));
      }
    }
    return chunks;
  }

  String jobKey() {
    var sb = new StringBuilder("weather|").append(config.get(Settings.OPENMETEO_URL));
    for (double[] l : locations) sb.append('|').append(l[0]).append(',').append(l[1]);
    sb.append("|hourly=").append(hourly).append("|daily=").append(daily);
    sb.append("|tz=").append(timezone).append("|from=").append(from).append("|to=").append(to);
    sb.append("|chunk=").append(locationsPerRequest).append('x').append(daysPerRequest);
    return sb.toString();
  }

  /**
   * Runs the ingest to completion.
   *
   * @throws io.sluice.ingest.source.SourceException the source failed for good
   */
  public IngestSummary run() {
    Instant start = clock.instant();
    TopicProvisioner.ensure(config);
    String hourlyTopic = config.get(Settings.HOURLY_DATA_TOPIC);
    String dailyTopic = config.get(Settings.DAILY_DATA_TOPIC);
    var client = new OpenMeteoClient(URI.create(config.get(Settings.OPENMETEO_URL)), policy, clock);
    var deadLetters = new DeadLetters(config.get(Settings.DLQ_TOPIC), runId);
    var progress =
        new ProgressStore(KafkaSettings.bootstrap(config), config.get(Settings.PROGRESS_TOPIC));
    List<Chunk> chunks = chunks();
    RecordWriter hourlyWriter =
        TopicFormats.writer(config, format, RecordType.HOURLY_WEATHER, hourlyTopic);
    RecordWriter dailyWriter =
        TopicFormats.writer(config, format, RecordType.DAILY_WEATHER, dailyTopic);
    boolean resumable = from != null;
    String txId =
        resumable
            ? "sluice-ingest-weather-" + UserIngest.sha256(jobKey()).substring(0, 20)
            : "sluice-ingest-weather-" + runId;
    long fetched = 0;
    long published = 0;
    long dlq = 0;
    try (var publisher =
        new TransactionalPublisher(KafkaSettings.transactionalProducer(config, txId))) {
      int next = resumable ? progress.read(jobKey()).orElse(0L).intValue() : 0;
      if (next > 0) LOG.info("Resuming weather backfill at chunk {} of {}", next, chunks.size());
      for (int c = next; c < chunks.size(); c++) {
        Chunk chunk = chunks.get(c);
        URI uri = client.uri(chunk.locations(), hourly, daily, timezone, chunk.from(), chunk.to());
        HttpSource.Result<ParsedWeather> result =
            client.fetch(uri, new OpenMeteoParser(runId, chunk.locations()));
        ParsedWeather w = result.value();
        var records = new ArrayList<ProducerRecord<byte[], byte[]>>();
        for (TransientSourceException f : result.failures()) {
          if (f.undecodableBody().isPresent()) {
            records.add(
                deadLetters.record(
                    "ingest", f.getMessage(), f.undecodableBody().get(), c + 1, uri.toString()));
            dlq++;
          }
        }
        for (ParsedWeather.Keyed h : w.hourly())
          records.add(record(hourlyTopic, h.key(), hourlyWriter.write(h.record()), w.fetchedAt()));
        for (ParsedWeather.Keyed d : w.daily())
          records.add(record(dailyTopic, d.key(), dailyWriter.write(d.record()), w.fetchedAt()));
        for (ParsedWeather.Invalid bad : w.invalid()) {
          records.add(
              deadLetters.record("validate", bad.error(), bad.raw(), c + 1, uri.toString()));
          dlq++;
        }
        if (resumable) records.add(progress.record(jobKey(), c + 1L, c + 1, runId));
        publisher.publish(records);
        long rows = w.hourly().size() + w.daily().size();
        fetched += rows + w.invalid().size();
        published += rows;
        listener.onPage(fetched, published, dlq, -1);
      }
    }
    IngestSummary summary =
        new IngestSummary(
            runId,
            fetched,
            published,
            dlq,
            client.retries(),
            Duration.between(start, clock.instant()));
    LOG.info("Weather ingest done: {}", summary);
    return summary;
  }

  private ProducerRecord<byte[], byte[]> record(
      String topic, String key, byte[] value, Instant fetchedAt) {
    var r = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    Headers.add(r, Headers.SCHEMA_VERSION, JsonRecords.MAX_SCHEMA_VERSION);
    Headers.add(r, Headers.SOURCE, OpenMeteoParser.SOURCE);
    Headers.add(r, Headers.RUN_ID, runId);
    Headers.add(r, Headers.FETCHED_AT, fetchedAt);
    return r;
  }

  /** Configures a {@link WeatherIngest}. */
  public static final class Builder {
    private final SluiceConfig config;
    private List<double[]> locations = List.of();
    private List<String> hourly = List.of();
    private List<String> daily = List.of();
    private String timezone = "GMT";
    private LocalDate from;
    private LocalDate to;
    private int locationsPerRequest = 50;
    private int daysPerRequest = 92;
    private String runId;
    private SourcePolicy policy;
    private IngestListener listener = IngestListener.NONE;
    private Clock clock = Clock.systemUTC();
    private RecordFormat format;

    private Builder(SluiceConfig config) {
      this.config = Objects.requireNonNull(config);
    }

    /** The topics' record format; default {@code topics.format}. */
    public Builder format(RecordFormat value) {
      this.format = value;
      return this;
    }

    /** Locations as {@code {latitude, longitude}} pairs. */
    public Builder locations(List<double[]> value) {
      for (double[] l : value)
        if (l.length != 2 || Math.abs(l[0]) > 90 || Math.abs(l[1]) > 180)
          throw new IllegalArgumentException(
              "a location is {latitude in -90..90, longitude in -180..180}");
      this.locations = List.copyOf(value);
      return this;
    }

    /** Pairs up latitudes and longitudes given as two lists, as seed 004 does. */
    public Builder locations(List<Double> latitudes, List<Double> longitudes) {
      if (latitudes.size() != longitudes.size())
        throw new IllegalArgumentException(
            latitudes.size() + " latitudes but " + longitudes.size() + " longitudes");
      var pairs = new ArrayList<double[]>();
      for (int i = 0; i < latitudes.size(); i++)
        pairs.add(new double[] {latitudes.get(i), longitudes.get(i)});
      return locations(pairs);
    }

    public Builder hourly(List<String> value) {
      this.hourly = List.copyOf(value);
      return this;
    }

    public Builder daily(List<String> value) {
      this.daily = List.copyOf(value);
      return this;
    }

    /** IANA zone for local times and dates (default GMT). */
    public Builder timezone(String value) {
      this.timezone = Objects.requireNonNull(value);
      return this;
    }

    /** A historic range, both days included; without it the API's default (the forecast). */
    public Builder range(LocalDate from, LocalDate to) {
      this.from = from;
      this.to = to;
      return this;
    }

    public Builder locationsPerRequest(int value) {
      if (value < 1) throw new IllegalArgumentException("locationsPerRequest must be positive");
      this.locationsPerRequest = value;
      return this;
    }

    public Builder daysPerRequest(int value) {
      if (value < 1) throw new IllegalArgumentException("daysPerRequest must be positive");
      this.daysPerRequest = value;
      return this;
    }

    public Builder runId(String value) {
      this.runId = value;
      return this;
    }

    public Builder policy(SourcePolicy value) {
      this.policy = value;
      return this;
    }

    public Builder listener(IngestListener value) {
      this.listener = Objects.requireNonNull(value);
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value);
      return this;
    }

    public WeatherIngest build() {
      return new WeatherIngest(this);
    }
  }
}
