package io.sluice.local.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP calls to a schema registry, as any client sends them, for the registry's ITs. */
final class RegistryHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** A response: its status, content type and parsed body. */
  record Answer(int status, String contentType, JsonNode body) {}

  private RegistryHttp() {}

  static Answer get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  static Answer post(String url, String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** POSTs {@code {"schema": schema}}. */
  static Answer postSchema(String url, String schema) throws IOException, InterruptedException {
    return post(url, JSON.createObjectNode().put("schema", schema).toString());
  }

  private static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(""),
        r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body()));
  }
}
