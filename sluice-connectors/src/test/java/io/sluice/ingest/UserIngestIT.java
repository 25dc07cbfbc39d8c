package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.Headers;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.ingest.privacy.Privacy;
import io.sluice.ingest.source.SourceErrorException;
import io.sluice.ingest.source.SourcePolicy;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.local.simulator.ApiSimulator;
import io.sluice.local.simulator.FaultCounts;
import io.sluice.local.simulator.Faults;
import io.sluice.records.RecordType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = {Service.KAFKA, Service.API_SIMULATOR})
class UserIngestIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HMAC_KEY = "user-ingest-it-key-0123456789";
  private static final SourcePolicy FAST =
      SourcePolicy.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

  private final LocalStack stack;
  private final SluiceConfig config;

  UserIngestIT(LocalStack stack) {
    this.stack = stack;
    this.config = stack.config().with(Settings.HMAC_KEY, HMAC_KEY);
  }

  @BeforeEach
  @AfterEach
  void noFaults() {
    stack.simulator().setFaults(Faults.none());
    stack.simulator().resetCounts();
  }

  @Test
  void ingestsExactlyNUsersWithEveryFieldTakenFromTheSource() throws Exception {
    IngestSummary summary =
        UserIngest.builder(config)
            .count(1200)
            .batch(500)
            .seed("exact-n")
            .policy(FAST)
            .build()
            .run();

    assertThat(summary.fetched()).isEqualTo(1200);
    assertThat(summary.published()).isEqualTo(1200);
    assertThat(summary.dlq()).isZero();
    List<ConsumerRecord<byte[], byte[]>> records = usersOf(r -> runId(r).equals(summary.runId()));
    assertThat(records).hasSize(1200);

    List<JsonNode> source = sourceUsers("exact-n", 500, 3);
    Privacy privacy = Privacy.from(config);
    var byId = new java.util.HashMap<String, Decoded>();
    for (var r : records) {
      Decoded u = Decoded.of(r.value(), RecordType.USER);
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(u.text("id"));
      assertThat(Headers.get(r.headers(), Headers.SCHEMA_VERSION)).isEqualTo("1");
      assertThat(Headers.get(r.headers(), Headers.SOURCE)).isEqualTo("randomuser");
      assertThat(Headers.get(r.headers(), Headers.FETCHED_AT))
          .isEqualTo(u.instant("fetched_at").toString());
      byId.put(u.text("id"), u);
    }
    assertThat(byId).hasSize(1200);
    for (int i = 0; i < 1200; i++) {
      JsonNode s = source.get(i);
      Decoded u = byId.get(s.at("/login/uuid").asText());
      assertThat(u).as("user %d of the seed", i).isNotNull();
      assertThat(u.text("first_name")).isEqualTo(s.at("/name/first").asText());
      assertThat(u.text("last_name")).isEqualTo(s.at("/name/last").asText());
      assertThat(u.text("gender")).isEqualTo(s.get("gender").asText());
      JsonNode loc = s.get("location");
      assertThat(u.text("address"))
          .isEqualTo(
              loc.at("/street/number").asText()
                  + " "
                  + loc.at("/street/name").asText()
                  + ", "
                  + loc.get("city").asText()
                  + ", "
                  + loc.get("state").asText()
                  + ", "
                  + loc.get("country").asText());
      assertThat(u.text("post_code")).isEqualTo(privacy.hashPostCode(loc.get("postcode").asText()));
      assertThat(u.text("post_code")).matches("[0-9a-f]{64}");
      assertThat(u.text("email")).isEqualTo(s.get("email").asText());
      assertThat(u.text("username")).isEqualTo(s.at("/login/username").asText());
      assertThat(u.instant("dob")).isEqualTo(Instant.parse(s.at("/dob/date").asText()));
      assertThat(u.instant("registered_date"))
          .isEqualTo(Instant.parse(s.at("/registered/date").asText()));
      assertThat(u.text("phone")).isEqualTo(s.get("phone").asText());
      assertThat(u.text("picture")).isEqualTo(s.at("/picture/medium").asText());
      assertThat(u.text("source")).isEqualTo("randomuser");
      assertThat(u.text("run_id")).isEqualTo(summary.runId());
      assertThat(u.record().get("schema_version")).isEqualTo(1);
    }
  }

  @Test
  void withTwentyPercentFaultsStillPublishesExactlyNAndSendsBrokenAnswersToTheDlq() {
    stack
        .simulator()
        .setFaults(
            ApiSimulator.Api.RANDOM_USER,
            Faults.mixed(0.2, 2024)
                .withRetryAfter(Duration.ofSeconds(1))
                .withSlowDelay(Duration.ofMillis(200)));

    IngestSummary summary =
        UserIngest.builder(config).count(3000).batch(100).seed("faulty").policy(FAST).build().run();

    FaultCounts counts = stack.simulator().counts(ApiSimulator.Api.RANDOM_USER);
    long broken = counts.count(Faults.Kind.TRUNCATED) + counts.count(Faults.Kind.MALFORMED);
    assertThat(counts.broken()).isPositive();
    assertThat(broken).isPositive();
    assertThat(summary.published()).isEqualTo(3000);
    assertThat(summary.retries()).isEqualTo(counts.broken());
    List<ConsumerRecord<byte[], byte[]>> users = usersOf(r -> runId(r).equals(summary.runId()));
    assertThat(users).hasSize(3000);
    assertThat(users.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).distinct())
        .hasSize(3000);

    var dead =
        TopicContents.read(bootstrap(), config.get(Settings.DLQ_TOPIC)).stream()
            .filter(r -> summary.runId().equals(Headers.get(r.headers(), Headers.RUN_ID)))
            .toList();
    assertThat(dead).hasSize((int) broken);
    assertThat(summary.dlq()).isEqualTo(broken);
    for (var d : dead) {
      assertThat(Headers.get(d.headers(), Headers.DLQ_STAGE)).isEqualTo("ingest");
      assertThat(Headers.get(d.headers(), Headers.DLQ_ERROR)).contains("not valid JSON");
      assertThat(Headers.get(d.headers(), Headers.DLQ_SOURCE_PAGE)).matches("\\d+");
      assertThat(d.value()).isNotEmpty();
    }
  }

  @Test
  void anInterruptedRunResumedWithTheSameSeedLeavesNoDuplicatesAndNoGaps() throws Exception {
    UserIngest first =
        UserIngest.builder(config)
            .count(1000)
            .batch(150)
            .seed("resume")
            .policy(FAST)
            .stopAfterPages(3)
            .build();
    IngestSummary partial = first.run();
    assertThat(partial.published()).isEqualTo(450);

    // a crashed run leaves a transaction open with the same transactional id
    var props = KafkaSettings.transactionalProducer(config, first.transactionalId());
    var zombie = new KafkaProducer<byte[], byte[]>(props);
    zombie.initTransactions();
    zombie.beginTransaction();
    zombie.send(
        new ProducerRecord<>(
            config.get(Settings.USERS_TOPIC),
            "zombie".getBytes(StandardCharsets.UTF_8),
            "{\"schema_version\":1,\"id\":\"zombie\"}".getBytes(StandardCharsets.UTF_8)));
    zombie.flush();

    IngestSummary rest =
        UserIngest.builder(config).count(1000).batch(150).seed("resume").policy(FAST).build().run();
    zombie.close(Duration.ZERO);

    assertThat(rest.fetched()).isEqualTo(550);
    var runs = java.util.Set.of(partial.runId(), rest.runId());
    List<ConsumerRecord<byte[], byte[]>> all = usersOf(r -> runs.contains(runId(r)));
    List<String> ids = all.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
    assertThat(ids).hasSize(1000).doesNotHaveDuplicates().doesNotContain("zombie");
    List<String> expected =
        sourceUsers("resume", 150, 7).stream()
            .limit(1000)
            .map(u -> u.at("/login/uuid").asText())
            .toList();
    assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);

    IngestSummary again =
        UserIngest.builder(config).count(1000).batch(150).seed("resume").policy(FAST).build().run();
    assertThat(again.fetched()).isZero();
  }

  @Test
  void anErrorBodyFailsClearlyAndPublishesNothing() {
    SluiceConfig broken =
        config.with(Settings.RANDOMUSER_URL, stack.simulatorUrl() + "/no-such-api/");
    UserIngest ingest =
        UserIngest.builder(broken).count(10).seed("error-body").policy(FAST).build();

    assertThatThrownBy(ingest::run)
        .isInstanceOf(SourceErrorException.class)
        .hasMessageContaining("randomuser answered with an error (HTTP 404): Not found");
    assertThat(usersOf(r -> runId(r).equals(ingest.runId()))).isEmpty();
    assertThat(
            TopicContents.read(bootstrap(), config.get(Settings.DLQ_TOPIC)).stream()
                .filter(r -> ingest.runId().equals(Headers.get(r.headers(), Headers.RUN_ID))))
        .isEmpty();
  }

  private String bootstrap() {
    return KafkaSettings.bootstrap(config);
  }

  private List<ConsumerRecord<byte[], byte[]>> usersOf(
      Predicate<ConsumerRecord<byte[], byte[]>> filter) {
    TopicProvisioner.ensure(config);
    return TopicContents.read(bootstrap(), config.get(Settings.USERS_TOPIC)).stream()
        .filter(filter)
        .toList();
  }

  private static String runId(ConsumerRecord<byte[], byte[]> r) {
    String id = Headers.get(r.headers(), Headers.RUN_ID);
    return id == null ? "" : id;
  }

  /** The users the simulator serves for a seed, fetched directly, in order. */
  private List<JsonNode> sourceUsers(String seed, int batch, int pages) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    var out = new ArrayList<JsonNode>();
    for (int p = 1; p <= pages; p++) {
      var response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          stack.simulatorUrl()
                              + "/api/?results="
                              + batch
                              + "&seed="
                              + seed
                              + "&page="
                              + p))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      JSON.readTree(response.body()).get("results").forEach(out::add);
    }
    return out;
  }
}
