package io.sluice.local.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.local.LocalStack;
import io.sluice.local.Ports;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.local.schemaregistry.RegistryHttp.Answer;
import io.sluice.schemaregistry.server.SchemaRegistryServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The registry's state lives in its Kafka topic: a restarted registry, and a second one on the same
 * cluster, answer the same ids and versions; bad input is refused with Confluent's codes.
 */
@SluiceStackTest(services = Service.SCHEMA_REGISTRY)
class SchemaRegistryRestartIT {
  private static String record(String name, String... optionalFields) {
    StringBuilder fields = new StringBuilder("{\"name\":\"id\",\"type\":\"string\"}");
    for (String f : optionalFields)
      fields
          .append(",{\"name\":\"")
          .append(f)
          .append("\",\"type\":[\"null\",\"string\"],\"default\":null}");
    return "{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[" + fields + "]}";
  }

  private static SchemaRegistryServer start(LocalStack stack, String topic) {
    return SchemaRegistryServer.start(
        stack.kafkaBootstrap(), topic, new InetSocketAddress("127.0.0.1", Ports.free(1)[0]));
  }

  @Test
  void aRestartedRegistryAndASecondOneAnswerTheSameIdsAndVersions(LocalStack stack)
      throws Exception {
    String topic = "_schemas_restart";
    List<String> before = new ArrayList<>();
    try (SchemaRegistryServer first = start(stack, topic);
        SchemaRegistryServer second = start(stack, topic)) {
      register(first.url(), "users-value", record("User"));
      register(second.url(), "weather-value", record("Hourly"));
      register(first.url(), "users-value", record("User", "email"));
      register(second.url(), "users-value", record("User", "email", "phone"));
      register(first.url(), "daily-value", record("Hourly"));
      assertThat(put(second.url() + "/config/users-value", "{\"compatibility\":\"FULL\"}"))
          .isEqualTo(200);
      before.addAll(snapshot(first.url()));
      assertThat(snapshot(second.url())).isEqualTo(before);
    }
    assertThat(before)
        .contains(
            "users-value v1 id 1",
            "weather-value v1 id 2",
            "users-value v2 id 3",
            "users-value v3 id 4",
            "daily-value v1 id 2");
    try (SchemaRegistryServer restarted = start(stack, topic)) {
      assertThat(snapshot(restarted.url())).isEqualTo(before);
      assertThat(RegistryHttp.get(restarted.url() + "/config/users-value").body().toString())
          .isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
      assertThat(register(restarted.url(), "users-value", record("User", "email", "phone", "x")))
          .as("the next id follows the last one")
          .isEqualTo(5);
    }
  }

  @Test
  void schemasRegisteredBackToBackOnOneInstanceGetDistinctIds(LocalStack stack) throws Exception {
    try (SchemaRegistryServer registry = start(stack, "_schemas_back_to_back")) {
      List<String> subjects = List.of("a-value", "b-value", "c-value", "d-value", "e-value");
      var pool = java.util.concurrent.Executors.newFixedThreadPool(subjects.size());
      try {
        List<java.util.concurrent.Future<Integer>> ids = new ArrayList<>();
        for (String subject : subjects)
          ids.add(
              pool.submit(
                  () -> register(registry.url(), subject, record(subject.charAt(0) + "Rec"))));
        java.util.Set<Integer> distinct = new java.util.TreeSet<>();
        for (var id : ids) distinct.add(id.get());
        assertThat(distinct).as("one id per schema").containsExactly(1, 2, 3, 4, 5);
      } finally {
        pool.shutdownNow();
      }
      for (String subject : subjects)
        assertThat(
                RegistryHttp.get(registry.url() + "/subjects/" + subject + "/versions/latest")
                    .body()
                    .path("schema")
                    .asText())
            .as("the schema stored under %s is its own", subject)
            .contains("\"" + subject.charAt(0) + "Rec\"");
    }
  }

  @Test
  void aMalformedSchemaIsRefusedWith42201(LocalStack stack) throws Exception {
    String url = stack.schemaRegistryUrl();
    Answer a =
        RegistryHttp.postSchema(
            url + "/subjects/broken-value/versions", "{\"type\":\"record\",\"name\":\"User\",");
    assertThat(a.status()).isEqualTo(422);
    assertThat(a.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
    assertThat(a.body().path("error_code").asInt()).isEqualTo(42201);
    assertThat(a.body().path("message").asText()).startsWith("Invalid schema");
    Answer missingField =
        RegistryHttp.postSchema(
            url + "/subjects/broken-value/versions",
            "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"age\",\"type\":\"int\",\"default\":\"x\"}]}");
    assertThat(missingField.body().path("error_code").asInt()).isEqualTo(42201);
    assertThat(
            RegistryHttp.get(url + "/subjects/broken-value/versions")
                .body()
                .path("error_code")
                .asInt())
        .as("nothing was registered")
        .isEqualTo(40401);
    assertThat(
            RegistryHttp.get(url + "/subjects/broken-value/versions/zero")
                .body()
                .path("error_code")
                .asInt())
        .isEqualTo(42202);
    assertThat(RegistryHttp.get(url + "/schemas/ids/4242").body().path("error_code").asInt())
        .isEqualTo(40403);
  }

  private static int register(String url, String subject, String schema) throws Exception {
    Answer a = RegistryHttp.postSchema(url + "/subjects/" + subject + "/versions", schema);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    return a.body().path("id").asInt();
  }

  private static int put(String url, String body) throws Exception {
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
            .header("Content-Type", "application/json")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build();
    return java.net.http.HttpClient.newHttpClient()
        .send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Every subject's versions with their ids, as "subject vN id M". */
  private static List<String> snapshot(String url) throws Exception {
    List<String> lines = new ArrayList<>();
    for (JsonNode subject : RegistryHttp.get(url + "/subjects").body()) {
      for (JsonNode v :
          RegistryHttp.get(url + "/subjects/" + subject.asText() + "/versions").body()) {
        JsonNode version =
            RegistryHttp.get(url + "/subjects/" + subject.asText() + "/versions/" + v.asInt())
                .body();
        lines.add(subject.asText() + " v" + v.asInt() + " id " + version.path("id").asInt());
      }
    }
    return lines;
  }
}
