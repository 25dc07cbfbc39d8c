package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.Headers;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.source.SourcePolicy;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.RecordType;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each recorded answer variant of the Random User API, served as-is, ingested into Kafka. */
@SluiceStackTest(services = {Service.KAFKA})
class FixtureIngestIT {
  private final LocalStack stack;
  private HttpServer server;

  FixtureIngestIT(LocalStack stack) {
    this.stack = stack;
  }

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  /** Serves one fixture for every request and returns the config pointing at it. */
  private SluiceConfig serving(String fixture) throws Exception {
    byte[] body;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/randomuser/" + fixture)) {
      body = in.readAllBytes();
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    return stack
        .config()
        .with(
            Settings.RANDOMUSER_URL, "http://127.0.0.1:" + server.getAddress().getPort() + "/api/")
        .with(Settings.HMAC_KEY, "fixture-ingest-it-key-0123");
  }

  private IngestSummary ingest(SluiceConfig config, int users, String seed) {
    return UserIngest.builder(config)
        .count(users)
        .batch(users)
        .seed(seed)
        .policy(SourcePolicy.defaults().withMaxRetries(1))
        .build()
        .run();
  }

  private List<ConsumerRecord<byte[], byte[]>> of(SluiceConfig config, String topic, String runId) {
    return TopicContents.read(
            KafkaSettings.bootstrap(config),
            config.get(topic.equals("dlq") ? Settings.DLQ_TOPIC : Settings.USERS_TOPIC))
        .stream()
        .filter(r -> runId.equals(Headers.get(r.headers(), Headers.RUN_ID)))
        .toList();
  }

  private Decoded only(String fixture) throws Exception {
    SluiceConfig config = serving(fixture);
    IngestSummary s = ingest(config, 1, fixture);
    var users = of(config, "users", s.runId());
    assertThat(users).hasSize(1);
    return Decoded.of(users.get(0).value(), RecordType.USER);
  }

  @Test
  void everyApiVersionLandsInKafkaWithTheRightFields() throws Exception {
    Decoded v10 = only("v1.0.json");
    assertThat(v10.text("first_name")).isEqualTo("romain");
    assertThat(v10.text("address"))
        .isEqualTo("1861 jan pieterszoon coenstraat, maasdriel, zeeland");
    assertThat(v10.instant("dob")).isEqualTo(Instant.ofEpochSecond(932871968));
    assertThat(v10.text("post_code")).matches("[0-9a-f]{64}");
    stop();

    Decoded v11 = only("v1.1.json");
    assertThat(v11.instant("registered_date")).isEqualTo(Instant.parse("2010-11-09T05:40:51Z"));
    stop();

    Decoded v12 = only("v1.2.json");
    assertThat(v12.text("id")).isEqualTo("155e77ee-ba6d-486f-95ce-0e0c0fb4b919");
    assertThat(v12.text("last_name")).isEqualTo("Шевченко");
    stop();

    Decoded v13 = only("v1.3.json");
    assertThat(v13.text("first_name")).isEqualTo("نیایش");
    assertThat(v13.text("address")).endsWith(", Iran");
    stop();

    SluiceConfig config = serving("v1.4.json");
    IngestSummary s = ingest(config, 2, "v1.4");
    var users =
        of(config, "users", s.runId()).stream()
            .map(r -> Decoded.of(r.value(), RecordType.USER).text("address"))
            .toList();
    assertThat(users)
        .containsExactlyInAnyOrder(
            "8929 Valwood Pkwy, Billings, Michigan, United States",
            "12 Schulstraße, Görlitz, Sachsen, Germany");
  }

  @Test
  void usersThatFailValidationGoToTheDlqInTheSameRunWithTheReason() throws Exception {
    SluiceConfig config = serving("missing-fields.json");

    IngestSummary s = ingest(config, 3, "invalid");

    assertThat(s.published()).isEqualTo(1);
    assertThat(s.dlq()).isEqualTo(2);
    assertThat(of(config, "users", s.runId())).hasSize(1);
    var dead = of(config, "dlq", s.runId());
    assertThat(dead).hasSize(2);
    assertThat(dead)
        .extracting(r -> Headers.get(r.headers(), Headers.DLQ_ERROR))
        .containsExactlyInAnyOrder("missing name.first", "dob is not a date: \"yesterday\"");
    assertThat(dead)
        .allSatisfy(
            r -> assertThat(Headers.get(r.headers(), Headers.DLQ_STAGE)).isEqualTo("validate"));
    assertThat(dead)
        .allSatisfy(
            r -> assertThat(Headers.get(r.headers(), Headers.DLQ_SOURCE_PAGE)).isEqualTo("1"));
    assertThat(dead)
        .anySatisfy(
            r -> assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("NoFirst"));
  }
}
