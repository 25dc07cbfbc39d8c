package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends requests to a running server and checks each request and response against an OpenAPI
 * document with Atlassian's swagger-request-validator.
 */
final class SpecValidator {
  private final OpenApiInteractionValidator validator;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final List<String> headers = new ArrayList<>();

  SpecValidator(String specText, String base) {
    this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(specText).build();
    this.base = base;
  }

  /**
   * Airflow's document says 3.1 but is written in 3.0 ({@code nullable}): it is read as 3.0, with
   * its two 3.1 keywords said in 3.0 terms ({@code const: x} is {@code enum: [x]}; a {@code
   * prefixItems} tuple takes items of any type; a path parameter without a type is a string, as
   * every path segment is).
   */
  static String airflowSpec() throws Exception {
    var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new YAMLFactory());
    JsonNode root = yaml.readTree(find("shared/specs/airflow-rest-api-v2.yaml").toFile());
    ((ObjectNode) root).put("openapi", "3.0.3");
    downgrade(root);
    return yaml.writeValueAsString(root);
  }

  private static void downgrade(JsonNode node) {
    if (node instanceof ObjectNode o) {
      JsonNode constant = o.remove("const");
      if (constant != null) o.putArray("enum").add(constant);
      if (o.remove("prefixItems") != null && !o.has("items")) o.putObject("items");
      JsonNode schema = o.get("schema");
      if ("path".equals(o.path("in").asText())
          && schema instanceof ObjectNode ps
          && !ps.has("type")
          && !ps.has("$ref")
          && !ps.has("anyOf")) ps.put("type", "string");
      o.forEach(SpecValidator::downgrade);
    } else if (node instanceof ArrayNode a) a.forEach(SpecValidator::downgrade);
  }

  /** A file beside the checkout ({@code ../shared}) or within it, from any module directory. */
  static Path find(String relative) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(relative))) return p.resolve(relative);
      if (p.getParent() != null && Files.exists(p.getParent().resolve(relative)))
        return p.getParent().resolve(relative);
    }
    throw new IllegalStateException(
        "cannot find " + relative + " above " + Path.of("").toAbsolutePath());
  }

  SpecValidator header(String name, String value) {
    headers.add(name);
    headers.add(value);
    return this;
  }

  /** Sends a request, asserts the status, validates both ways and returns the response. */
  HttpResponse<String> call(String method, String pathAndQuery, String body, int status)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.size(); i += 2) b.header(headers.get(i), headers.get(i + 1));
    if (body != null) b.header("Content-Type", "application/json");
    b.header("Accept", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(method + " " + pathAndQuery + ": " + r.body()).isEqualTo(status);
    ValidationReport report = validator.validate(request(method, pathAndQuery, body), response(r));
    assertThat(report.getMessages())
        .as("%s %s against the OpenAPI document; body: %s", method, pathAndQuery, r.body())
        .isEmpty();
    return r;
  }

  private Request request(String method, String pathAndQuery, String body) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    SimpleRequest.Builder rb =
        new SimpleRequest.Builder(method, decode(path)).withAccept("application/json");
    for (int i = 0; i < headers.size(); i += 2) rb.withHeader(headers.get(i), headers.get(i + 1));
    if (body != null) rb.withContentType("application/json").withBody(body);
    if (q >= 0)
      for (String kv : pathAndQuery.substring(q + 1).split("&")) {
        int eq = kv.indexOf('=');
        rb.withQueryParam(decode(kv.substring(0, eq)), decode(kv.substring(eq + 1)));
      }
    return rb.build();
  }

  private static com.atlassian.oai.validator.model.Response response(HttpResponse<String> r) {
    SimpleResponse.Builder b = SimpleResponse.Builder.status(r.statusCode());
    r.headers().firstValue("Content-Type").ifPresent(ct -> b.withContentType(ct));
    if (!r.body().isEmpty()) b.withBody(r.body());
    return b.build();
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
