package io.sluice.schemaregistry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schemaregistry.CompatibilityLevel;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small client of the Confluent Schema Registry REST API, for the {@code sluice schemas} commands
 * and the web UI: it speaks to Sluice's registry or to any Confluent-compatible one (Confluent,
 * Apicurio, Redpanda). Blocking; thread-safe.
 *
 * <pre>{@code
 * SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistrySettings.url(config));
 * int id = registry.register("users_created-value", Files.readString(Path.of("user.avsc")));
 * }</pre>
 *
 * @throws SchemaRegistryClientException from every call the registry refuses or cannot answer
 */
public final class SchemaRegistryClient {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http;

  /** A client of the registry at {@code baseUrl}, e.g. {@code http://127.0.0.1:8085}. */
  public SchemaRegistryClient(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** One version of a subject. */
  public record Version(String subject, int version, int id, String schema) {}

  /** A compatibility check's verdict, with a message per rule broken. */
  public record Verdict(boolean compatible, List<String> messages) {}

  /** A subject at a glance: its live versions, the latest one's id and its compatibility level. */
  public record Summary(
      String subject, List<Integer> versions, int latestId, CompatibilityLevel level) {}

  /**
   * Every subject at a glance, sorted by name; what {@code sluice schemas list} and the UI show.
   */
  public List<Summary> summaries() {
    List<Summary> rows = new ArrayList<>();
    for (String subject : subjects().stream().sorted().toList()) {
      List<Integer> versions = versions(subject);
      rows.add(new Summary(subject, versions, version(subject, "latest").id(), level(subject)));
    }
    return rows;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public List<String> subjects() {
    List<String> names = new ArrayList<>();
    get("/subjects").forEach(n -> names.add(n.asText()));
    return names;
  }

  public List<Integer> versions(String subject) {
    List<Integer> numbers = new ArrayList<>();
    get("/subjects/" + enc(subject) + "/versions").forEach(n -> numbers.add(n.asInt()));
    return numbers;
  }

  /** A version by number, or {@code latest}. */
  public Version version(String subject, String version) {
    JsonNode v = get("/subjects/" + enc(subject) + "/versions/" + enc(version));
    return new Version(
        v.path("subject").asText(subject),
        v.path("version").asInt(),
        v.path("id").asInt(),
        v.path("schema").asText());
  }

  /** Registers {@code schema} (Avro JSON) under {@code subject}; returns its id. */
  public int register(String subject, String schema) {
    return send("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema))
        .path("id")
        .asInt();
  }

  /**
   * Whether {@code schema} may be registered under {@code subject} at its compatibility level,
   * against its latest version (always compatible when the subject has none).
   */
  public Verdict check(String subject, String schema) {
    JsonNode r =
        send(
            "POST",
            "/compatibility/subjects/" + enc(subject) + "/versions/latest?verbose=true",
            schemaBody(schema));
    List<String> messages = new ArrayList<>();
    r.path("messages").forEach(m -> messages.add(m.asText()));
    return new Verdict(r.path("is_compatible").asBoolean(), messages);
  }

  /** The level of {@code subject} (its own, else the registry's), or the registry's for null. */
  public CompatibilityLevel level(String subject) {
    String path = subject == null ? "/config" : "/config/" + enc(subject) + "?defaultToGlobal=true";
    return CompatibilityLevel.parse(get(path).path("compatibilityLevel").asText());
  }

  /** Sets the level of {@code subject}, or the registry's for null. */
  public CompatibilityLevel setLevel(String subject, CompatibilityLevel level) {
    String path = subject == null ? "/config" : "/config/" + enc(subject);
    String body = JSON.createObjectNode().put("compatibility", level.name()).toString();
    return CompatibilityLevel.parse(send("PUT", path, body).path("compatibility").asText());
  }

  /** Soft-deletes a subject, or with {@code permanent} removes a soft-deleted one for good. */
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    List<Integer> numbers = new ArrayList<>();
    send("DELETE", "/subjects/" + enc(subject) + (permanent ? "?permanent=true" : ""), null)
        .forEach(n -> numbers.add(n.asInt()));
    return numbers;
  }

  private JsonNode get(String path) {
    return send("GET", path, null);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", CONTENT_TYPE + ", application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) request.header("Content-Type", CONTENT_TYPE);
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryClientException(
          0, 0, "cannot reach the schema registry at " + baseUrl + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryClientException(0, 0, "interrupted", e);
    }
    JsonNode parsed = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      int code = parsed.path("error_code").asInt(response.statusCode());
      String message = parsed.path("message").asText(response.body());
      throw new SchemaRegistryClientException(response.statusCode(), code, message, null);
    }
    return parsed;
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) return JSON.nullNode();
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  private static String schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }

  private static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
