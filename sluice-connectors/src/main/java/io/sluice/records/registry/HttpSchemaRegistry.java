package io.sluice.records.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (Sluice's registry, Confluent's, Apicurio's or
 * Redpanda's compatible endpoint), with answers cached for the life of the process: ingest
 * registers its schema once, a job fetches each writer schema once.
 *
 * <pre>{@code
 * SchemaRegistry registry = HttpSchemaRegistry.of("http://localhost:8085");
 * int id = registry.register("users_created-value", RecordType.USER.schema());
 * }</pre>
 */
public final class HttpSchemaRegistry implements SchemaRegistry {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Map<String, HttpSchemaRegistry> SHARED = new ConcurrentHashMap<>();

  private final URI base;
  private final HttpClient http;
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();

  private HttpSchemaRegistry(String url) {
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** The process's one client of the registry at {@code url}, so that its cache is shared. */
  public static HttpSchemaRegistry of(String url) {
    return SHARED.computeIfAbsent(url, HttpSchemaRegistry::new);
  }

  @Override
  public int register(String subject, Schema schema) {
    String key = subject + "\n" + schema;
    Integer known = ids.get(key);
    if (known != null) return known;
    String body = MAPPER.createObjectNode().put("schema", schema.toString()).toString();
    int id = send("POST", "subjects/" + encode(subject) + "/versions", body).path("id").asInt();
    ids.put(key, id);
    byId.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema known = byId.get(id);
    if (known != null) return known;
    JsonNode answer = send("GET", "schemas/ids/" + id, null);
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO"))
      throw new SchemaRegistryException(
          SchemaRegistryException.SCHEMA_NOT_FOUND,
          "schema id " + id + " is " + type + ", not AVRO");
    Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
    byId.put(id, schema);
    return schema;
  }

  @Override
  public Latest latest(String subject) {
    JsonNode answer = send("GET", "subjects/" + encode(subject) + "/versions/latest", null);
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO"))
      throw new SchemaRegistryException(
          SchemaRegistryException.SCHEMA_NOT_FOUND,
          "the latest schema of " + subject + " is " + type + ", not AVRO");
    int id = answer.path("id").asInt();
    Schema schema = byId.computeIfAbsent(id, i -> avro(answer.path("schema").asText()));
    return new Latest(id, answer.path("version").asInt(), schema);
  }

  private static Schema avro(String text) {
    return new Schema.Parser().parse(text);
  }

  private JsonNode send(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", CONTENT_TYPE);
    if (body == null) request.GET();
    else
      request
          .header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response;
    try {
      response = exchange(request.build());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "schema registry " + base + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while asking " + base, e);
    }
    JsonNode json = parse(response.body());
    if (response.statusCode() / 100 != 2)
      throw new SchemaRegistryException(
          json.path("error_code").asInt(response.statusCode()),
          method
              + " "
              + path
              + ": "
              + json.path("message").asText("HTTP " + response.statusCode()));
    return json;
  }

  /**
   * Sends {@code request}, once more when the connection fails before an answer: every request here
   * is idempotent (registering a schema again gives its id again).
   */
  private HttpResponse<String> exchange(HttpRequest request)
      throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw e;
    } catch (IOException e) {
      // why: a kept-alive connection the server has closed meanwhile fails the request with no
      // answer ("header parser received no bytes"); a new connection succeeds
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  private static JsonNode parse(String body) {
    try {
      return MAPPER.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return MAPPER.createObjectNode().put("message", body);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
