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
import io.sluice.ingest.privacy.Privacy;
import io.sluice.ingest.randomuser.ParsedPage;
import io.sluice.ingest.randomuser.RandomUserClient;
import io.sluice.ingest.randomuser.UserMapper;
import io.sluice.ingest.source.HttpSource;
import io.sluice.ingest.source.SourceException;
import io.sluice.ingest.source.SourcePolicy;
import io.sluice.ingest.source.TransientSourceException;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordFormat;
import io.sluice.records.RecordType;
import io.sluice.records.RecordWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests users from the Random User Generator into the users topic, exactly once: one Kafka
 * transaction per fetched page, holding the page's users, its dead letters and the job's progress;
 * pages fetched while the previous transaction was committed share the next one ({@link
 * PagesAhead}). A run started again with the same seed (and page size, nationalities, gender)
 * resumes after the last committed user, so the topic gets no duplicates and no gaps.
 *
 * <pre>{@code
 * IngestSummary s = UserIngest.builder(config).count(10_000).seed("demo").build().run();
 * }</pre>
 */
public final class UserIngest {
  private static final Logger LOG = LoggerFactory.getLogger(UserIngest.class);
  private static final byte[] SCHEMA_VERSION_HEADER =
      Integer.toString(JsonRecords.MAX_SCHEMA_VERSION).getBytes(StandardCharsets.UTF_8);
  private static final byte[] SOURCE_HEADER = UserMapper.SOURCE.getBytes(StandardCharsets.UTF_8);

  private final SluiceConfig config;
  private final long count;
  private final int batch;
  private final String seed;
  private final String nat;
  private final String gender;
  private final String runId;
  private final SourcePolicy policy;
  private final IngestListener listener;
  private final Clock clock;
  private final long stopAfterPages;
  private final int fetchAhead;
  private final RecordFormat format;
  private final byte[] runIdHeader;

  private UserIngest(Builder b) {
    this.config = b.config;
    this.count = b.count;
    // why: 20 users are one request for 20, not a page of 5,000 of which 20 are kept
    this.batch = (int) Math.max(1, Math.min(b.batch, b.count));
    this.seed =
        b.seed != null
            ? b.seed
            : HexFormat.of().toHexDigits(new java.security.SecureRandom().nextLong());
    this.nat = b.nat;
    this.gender = b.gender;
    this.runId = b.runId != null ? b.runId : UUID.randomUUID().toString();
    this.policy = b.policy != null ? b.policy : SourcePolicy.from(config);
    this.listener = b.listener;
    this.clock = b.clock;
    this.stopAfterPages = b.stopAfterPages;
    this.fetchAhead = b.fetchAhead;
    this.format = b.format;
    this.runIdHeader = runId.getBytes(StandardCharsets.UTF_8);
  }

  public static Builder builder(SluiceConfig config) {
    return new Builder(config);
  }

  /** The seed of this run: the given one, or a random one to pass again to resume. */
  public String seed() {
    return seed;
  }

  public String runId() {
    return runId;
  }

  /** The identity of the job: what decides which users page p holds. */
  public String jobKey() {
    return "users|"
        + config.get(Settings.RANDOMUSER_URL)
        + "|seed="
        + seed
        + "|batch="
        + batch
        + "|nat="
        + Objects.toString(nat, "")
        + "|gender="
        + Objects.toString(gender, "");
  }

  /** Stable per job, so that a restarted run fences the producer of the interrupted one. */
  public String transactionalId() {
    return "sluice-ingest-users-" + sha256(jobKey()).substring(0, 20);
  }

  /**
   * Runs the ingest to completion.
   *
   * @throws SourceException the source failed for good (an error body, retries used up)
   * @throws org.apache.kafka.common.KafkaException Kafka refused the transaction
   */
  public IngestSummary run() {
    Instant start = clock.instant();
    TopicProvisioner.ensure(config);
    String usersTopic = config.get(Settings.USERS_TOPIC);
    var client = new RandomUserClient(URI.create(config.get(Settings.RANDOMUSER_URL)), policy);
    var deadLetters = new DeadLetters(config.get(Settings.DLQ_TOPIC), runId);
    var progress =
        new ProgressStore(KafkaSettings.bootstrap(config), config.get(Settings.PROGRESS_TOPIC));
    long fetched = 0;
    long published = 0;
    long dlq = 0;
    RecordWriter writer = TopicFormats.writer(config, format, RecordType.USER, usersTopic);
    var mapper = new UserMapper(Privacy.from(config), runId, writer.encoder());
    var pages = new PagePreparer(client, mapper, deadLetters, progress, usersTopic, writer);
    try (var publisher =
        new TransactionalPublisher(
            KafkaSettings.transactionalProducer(config, transactionalId()))) {
      // why: read progress only after initTransactions, which aborts an interrupted run's open
      // transaction
      long next = progress.read(jobKey()).orElse(0L);
      if (next > 0) LOG.info("Resuming users ingest of seed {} at user {}", seed, next);
      // why: the next pages are fetched, parsed and encoded while the current ones are committed
      try (var ahead =
          new PagesAhead(
              "users-ingest-fetch",
              fetchAhead,
              // why: the threads keep preparing while a transaction is sent and committed
              2 * fetchAhead,
              pages::prepare,
              next,
              count,
              batch,
              stopAfterPages)) {
        // why: while the first pages are prepared
        publisher.prefetchMetadata(
            List.of(
                usersTopic, config.get(Settings.PROGRESS_TOPIC), config.get(Settings.DLQ_TOPIC)));
        while (ahead.hasNext()) {
          PreparedPage page = ahead.next();
          publisher.publish(page.records());
          fetched += page.take();
          published += page.published();
          dlq += page.dlq();
          listener.onPage(fetched, published, dlq, count);
        }
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
    LOG.info("Users ingest done: {}", summary);
    return summary;
  }

  /** Fetches the page holding user {@code next} and turns it into records. */
  private final class PagePreparer {
    private final RandomUserClient client;
    private final UserMapper mapper;
    private final DeadLetters deadLetters;
    private final ProgressStore progress;
    private final String usersTopic;
    private final RecordWriter writer;

    PagePreparer(
        RandomUserClient client,
        UserMapper mapper,
        DeadLetters deadLetters,
        ProgressStore progress,
        String usersTopic,
        RecordWriter writer) {
      this.writer = writer;
      this.client = client;
      this.mapper = mapper;
      this.deadLetters = deadLetters;
      this.progress = progress;
      this.usersTopic = usersTopic;
    }

    PreparedPage prepare(long next) {
      int page = (int) (next / batch) + 1;
      int skip = (int) (next % batch);
      int take = (int) Math.min(batch - skip, count - next);
      URI uri = client.pageUri(seed, page, batch, nat, gender);
      HttpSource.Result<ParsedPage> result = client.fetch(uri);
      // why: the record's schema keeps milliseconds; the header must say what the record says
      Instant fetchedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      List<ParsedPage.Entry> entries = result.value().entries();
      if (entries.size() < skip + take)
        throw new SourceException(
            "randomuser: page " + page + " holds " + entries.size() + " users, expected " + batch);
      // why: every record of the page carries the same headers; each record copies the list
      var headers = new RecordHeaders();
      headers.add(Headers.SCHEMA_VERSION, SCHEMA_VERSION_HEADER);
      headers.add(Headers.SOURCE, SOURCE_HEADER);
      headers.add(Headers.RUN_ID, runIdHeader);
      headers.add(Headers.FETCHED_AT, fetchedAt.toString().getBytes(StandardCharsets.UTF_8));
      var records = new ArrayList<ProducerRecord<byte[], byte[]>>(take + 4);
      long published = 0;
      long dlq = 0;
      for (TransientSourceException f : result.failures()) {
        if (f.undecodableBody().isPresent()) {
          records.add(
              deadLetters.record(
                  "ingest", f.getMessage(), f.undecodableBody().get(), page, uri.toString()));
          dlq++;
        }
      }
      for (int i = skip; i < skip + take; i++) {
        ParsedPage.Entry e = entries.get(i);
        if (e.valid()) {
          records.add(
              new ProducerRecord<>(
                  usersTopic,
                  null,
                  null,
                  e.user().id().getBytes(StandardCharsets.UTF_8),
                  writer.write(mapper.toValues(e.user(), fetchedAt)),
                  headers));
          published++;
        } else {
          records.add(deadLetters.record("validate", e.error(), e.raw(), page, uri.toString()));
          dlq++;
        }
      }
      records.add(progress.record(jobKey(), next + take, page, runId));
      return new PreparedPage(records, take, published, dlq);
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Configures a {@link UserIngest}. */
  public static final class Builder {
    private final SluiceConfig config;
    private long count = 1;
    private int batch = RandomUserClient.MAX_PAGE_SIZE;
    private String seed;
    private String nat;
    private String gender;
    private String runId;
    private SourcePolicy policy;
    private IngestListener listener = IngestListener.NONE;
    private Clock clock = Clock.systemUTC();
    private long stopAfterPages = Long.MAX_VALUE;
    private int fetchAhead = 3;
    private RecordFormat format;

    private Builder(SluiceConfig config) {
      this.config = Objects.requireNonNull(config);
    }

    /** Users to ingest in total for this seed. */
    public Builder count(long value) {
      if (value < 0) throw new IllegalArgumentException("count must not be negative");
      this.count = value;
      return this;
    }

    /** Users per request, 1..5000; never more than {@link #count}. */
    public Builder batch(int value) {
      if (value < 1 || value > RandomUserClient.MAX_PAGE_SIZE)
        throw new IllegalArgumentException("batch must be 1.." + RandomUserClient.MAX_PAGE_SIZE);
      this.batch = value;
      return this;
    }

    public Builder seed(String value) {
      this.seed = value == null || value.isBlank() ? null : value.trim();
      return this;
    }

    /** Nationalities, comma-separated (us,gb,...). */
    public Builder nat(String value) {
      this.nat = value;
      return this;
    }

    public Builder gender(String value) {
      this.gender = value;
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

    /** Stops after this many pages, as an interrupted run would; for tests of resumption. */
    public Builder stopAfterPages(long value) {
      this.stopAfterPages = value;
      return this;
    }

    /** The topic's record format; default {@code topics.format}. */
    public Builder format(RecordFormat value) {
      this.format = value;
      return this;
    }

    /**
     * Pages fetched and encoded in parallel (default 3); twice as many are kept ahead of the
     * transaction being committed, and up to that many share a transaction.
     */
    public Builder fetchAhead(int value) {
      if (value < 1) throw new IllegalArgumentException("fetchAhead must be positive");
      this.fetchAhead = value;
      return this;
    }

    public UserIngest build() {
      return new UserIngest(this);
    }
  }
}
