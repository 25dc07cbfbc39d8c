package io.sluice.local.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiSimulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static ApiSimulator sim;

  @BeforeAll
  static void start() throws Exception {
    sim = ApiSimulator.start(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    sim.setFaults(Faults.none());
    sim.resetCounts();
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(sim.baseUri() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void randomUserAnswersInTheShapeOfVersion14() throws Exception {
    var response = get("/api/?results=50&seed=abc&page=2");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode root = JSON.readTree(response.body());
    assertThat(root.get("info").get("seed").asText()).isEqualTo("abc");
    assertThat(root.get("info").get("results").asInt()).isEqualTo(50);
    assertThat(root.get("info").get("page").asInt()).isEqualTo(2);
    assertThat(root.get("info").get("version").asText()).isEqualTo("1.4");
    assertThat(root.get("results")).hasSize(50);
    JsonNode user = root.get("results").get(0);
    assertThat(user.get("location").get("street").get("number").isInt()).isTrue();
    assertThat(user.get("location").get("street").get("name").asText()).isNotBlank();
    assertThat(user.get("login").get("uuid").asText()).hasSize(36);
    assertThat(user.get("dob").get("date").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(user.get("dob").get("age").isInt()).isTrue();
    assertThat(user.get("picture").get("medium").asText()).startsWith("https://");
  }

  @Test
  void randomUserIsDeterministicPerSeedAndPageAndPagesAreConsecutive() throws Exception {
    String a = get("/api/?results=10&seed=s1&page=3").body();
    String b = get("/api/?results=10&seed=s1&page=3").body();
    String c = get("/api/?results=10&seed=s2&page=3").body();
    JsonNode pageTwoOfTen = JSON.readTree(get("/api/?results=10&seed=s1&page=2").body());
    JsonNode firstTwenty = JSON.readTree(get("/api/?results=20&seed=s1&page=1").body());

    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(pageTwoOfTen.get("results").get(0)).isEqualTo(firstTwenty.get("results").get(10));
  }

  @Test
  void randomUserHonoursNatGenderIncAndExcWithNumericAndTextPostcodes() throws Exception {
    JsonNode us = JSON.readTree(get("/api/?results=20&seed=x&nat=us&gender=female").body());
    JsonNode gb = JSON.readTree(get("/api/?results=20&seed=x&nat=GB&inc=name,location,nat").body());
    JsonNode ua = JSON.readTree(get("/api/?results=20&seed=x&nat=ua,ir&exc=login,picture").body());

    for (JsonNode u : us.get("results")) {
      assertThat(u.get("nat").asText()).isEqualTo("US");
      assertThat(u.get("gender").asText()).isEqualTo("female");
      assertThat(u.get("location").get("postcode").isInt()).isTrue();
    }
    for (JsonNode u : gb.get("results")) {
      assertThat(u.get("location").get("postcode").isTextual()).isTrue();
      List<String> names = new ArrayList<>();
      u.fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactly("name", "location", "nat");
    }
    for (JsonNode u : ua.get("results")) {
      assertThat(u.has("login")).isFalse();
      assertThat(u.has("picture")).isFalse();
      assertThat(u.get("name").get("first").asText()).matches("[^\\p{ASCII}]+");
    }
  }

  @Test
  void openMeteoAnswersOneObjectPerLocationWithUnitsAndTimeArrays() throws Exception {
    var response =
        get(
            "/v1/forecast?latitude=52.52,48.85&longitude=13.41,2.35&hourly=temperature_2m,precipitation"
                + "&daily=temperature_2m_max,precipitation_sum&start_date=2024-01-01&end_date=2024-01-02"
                + "&timezone=Europe/Berlin");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode root = JSON.readTree(response.body());
    assertThat(root.isArray()).isTrue();
    assertThat(root).hasSize(2);
    JsonNode berlin = root.get(0);
    assertThat(berlin.get("latitude").asDouble()).isEqualTo(52.52);
    assertThat(berlin.get("timezone").asText()).isEqualTo("Europe/Berlin");
    assertThat(berlin.get("utc_offset_seconds").asInt()).isEqualTo(3600);
    assertThat(berlin.get("hourly_units").get("temperature_2m").asText()).isEqualTo("°C");
    assertThat(berlin.get("hourly").get("time")).hasSize(48);
    assertThat(berlin.get("hourly").get("time").get(0).asText()).isEqualTo("2024-01-01T00:00");
    assertThat(berlin.get("hourly").get("temperature_2m")).hasSize(48);
    assertThat(berlin.get("daily").get("time").get(1).asText()).isEqualTo("2024-01-02");
    assertThat(berlin.get("daily_units").get("precipitation_sum").asText()).isEqualTo("mm");

    double coldest = 1e9;
    double warmest = -1e9;
    for (JsonNode t : berlin.get("hourly").get("temperature_2m")) {
      coldest = Math.min(coldest, t.asDouble());
      warmest = Math.max(warmest, t.asDouble());
    }
    assertThat(coldest).isBetween(-30.0, 20.0);
    assertThat(warmest - coldest).isGreaterThan(3.0);
  }

  @Test
  void openMeteoIsDeterministicAndSingleLocationIsAnObject() throws Exception {
    String q =
        "/v1/archive?latitude=35.68&longitude=139.69&hourly=temperature_2m&start_date=2023-06-01"
            + "&end_date=2023-06-01&timezone=Etc/GMT%2B9";
    JsonNode a = JSON.readTree(get(q).body());
    JsonNode b = JSON.readTree(get(q.replace("archive", "dwd-icon")).body());

    assertThat(a.isObject()).isTrue();
    assertThat(a.get("timezone").asText()).isEqualTo("Etc/GMT+9");
    assertThat(a.get("hourly")).isEqualTo(b.get("hourly"));
  }

  @Test
  void openMeteoRejectsAnUnknownVariableWithReason() throws Exception {
    var response = get("/v1/forecast?latitude=1&longitude=2&hourly=temperature_2m,bogus_var");

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("error").asBoolean()).isTrue();
    assertThat(body.get("reason").asText()).contains("bogus_var");
  }

  @Test
  void faultModesOccurAtTheConfiguredRates() throws Exception {
    sim.setFaults(
        new Faults(0.1, 0.1, 0.05, 0.1, 0.1, Duration.ofSeconds(3), Duration.ofMillis(1), 7L));
    int n = 1000;
    int ok = 0;
    int tooMany = 0;
    int serverErrors = 0;
    int unparseable = 0;
    for (int i = 0; i < n; i++) {
      var r = get("/api/?results=1&seed=f");
      switch (r.statusCode()) {
        case 200 -> {
          try {
            JSON.readTree(r.body());
            ok++;
          } catch (Exception e) {
            unparseable++;
          }
        }
        case 429 -> {
          tooMany++;
          assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
        }
        case 500 -> serverErrors++;
        default -> throw new AssertionError("unexpected status " + r.statusCode());
      }
    }

    FaultCounts counts = sim.counts(ApiSimulator.Api.RANDOM_USER);
    assertThat(counts.requests()).isEqualTo(n);
    assertThat(tooMany).isEqualTo(counts.count(Faults.Kind.TOO_MANY_REQUESTS)).isBetween(70, 130);
    assertThat(serverErrors).isEqualTo(counts.count(Faults.Kind.SERVER_ERROR)).isBetween(70, 130);
    assertThat(counts.count(Faults.Kind.SLOW)).isBetween(30L, 75L);
    assertThat(unparseable)
        .isEqualTo(counts.count(Faults.Kind.TRUNCATED) + counts.count(Faults.Kind.MALFORMED))
        .isBetween(150, 250);
    assertThat(ok).isEqualTo(n - tooMany - serverErrors - unparseable);
    assertThat(counts(ApiSimulator.Api.OPEN_METEO).requests()).isZero();
  }

  private static FaultCounts counts(ApiSimulator.Api api) {
    return sim.counts(api);
  }

  @Test
  void seededFaultsRepeatTheSameSequence() throws Exception {
    List<Integer> first = statuses(Faults.mixed(0.5, 99).withSlowDelay(Duration.ZERO));
    List<Integer> second = statuses(Faults.mixed(0.5, 99).withSlowDelay(Duration.ZERO));

    assertThat(first).isEqualTo(second).contains(200, 429, 500);
  }

  private static List<Integer> statuses(Faults faults) throws Exception {
    sim.setFaults(faults);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 100; i++) out.add(get("/api/?results=1").statusCode());
    return out;
  }
}
