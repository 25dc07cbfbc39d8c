package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.web.api.Json;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One rule for every state change, whatever the authentication: no foreign browser context, JSON
 * only, no method override, and never a Basic challenge a browser would cache.
 */
class CsrfTest {
  static WebFixture f;
  static final String VARIABLE = "{\"key\":\"forged\",\"value\":\"v\"}";

  @BeforeAll
  static void start() throws Exception {
    f = WebFixture.start(TestDags.etl());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private HttpResponse<String> post(String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(f.base + "/api/v1/variables"))
            .header("Authorization", WebFixture.basic("op", WebFixture.OP_PASSWORD));
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    b.POST(HttpRequest.BodyPublishers.ofString(body));
    return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private boolean forgedExists() {
    return f.kit.store().inTransaction(tx -> tx.variable("forged")).isPresent();
  }

  @Test
  void basicAuthWithAForeignOriginIsRefused() throws Exception {
    HttpResponse<String> r =
        post(VARIABLE, "Content-Type", "application/json", "Origin", "http://evil.example");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(Json.parse(r.body()).path("error").asText()).contains("cross-origin");
    assertThat(post(VARIABLE, "Content-Type", "application/json", "Origin", "null").statusCode())
        .isEqualTo(403);
    assertThat(
            post(
                    VARIABLE,
                    "Content-Type",
                    "application/json",
                    "Referer",
                    "http://evil.example/page.html")
                .statusCode())
        .isEqualTo(403);
    assertThat(
            post(VARIABLE, "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site")
                .statusCode())
        .isEqualTo(403);
    assertThat(forgedExists()).isFalse();
  }

  @Test
  void textPlainAndFormBodiesAreRefused() throws Exception {
    HttpResponse<String> plain = post(VARIABLE, "Content-Type", "text/plain");
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(Json.parse(plain.body()).path("error").asText()).contains("application/json");
    assertThat(
            post("key=forged&value=v", "Content-Type", "application/x-www-form-urlencoded")
                .statusCode())
        .isEqualTo(415);
    assertThat(post(VARIABLE, "Content-Type", "multipart/form-data; boundary=x").statusCode())
        .isEqualTo(415);
    assertThat(forgedExists()).isFalse();
  }

  @Test
  void sameOriginJsonIsAccepted() throws Exception {
    HttpResponse<String> r =
        post(
            "{\"key\":\"same_origin\",\"value\":\"v\"}",
            "Content-Type",
            "application/json; charset=utf-8",
            "Origin",
            f.base,
            "Sec-Fetch-Site",
            "same-origin");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(f.kit.store().inTransaction(tx -> tx.variable("same_origin")).orElse(null))
        .isEqualTo("v");
  }

  @Test
  void methodOverrideIsRefused() throws Exception {
    f.postJson("/api/v1/variables", "op", "{\"key\":\"kept\",\"value\":\"v\"}");
    for (String method : new String[] {"GET", "HEAD", "POST"})
      for (String header :
          new String[] {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"}) {
        HttpResponse<String> r =
            f.send(method, "/api/v1/variables/kept", "op", null, header, "DELETE");
        assertThat(r.statusCode()).as(method + " " + header).isEqualTo(400);
      }
    assertThat(f.send("GET", "/api/v1/variables/kept?_method=DELETE", "op", null).statusCode())
        .isEqualTo(400);
    assertThat(f.kit.store().inTransaction(tx -> tx.variable("kept")).orElse(null)).isEqualTo("v");
  }

  @Test
  void unauthenticatedCallsGetNoBasicChallenge() throws Exception {
    HttpResponse<String> r = f.send("GET", "/api/v1/variables", null, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    HttpResponse<String> post = f.send("POST", "/api/v1/variables", null, VARIABLE);
    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(post.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @Test
  void jettysOwnRefusalsAreJson() throws Exception {
    String response = raw("/api/v1/variables/a;b/..;/c");
    assertThat(response).startsWith("HTTP/1.1 400");
    assertThat(response).containsIgnoringCase("Content-Type: application/json");
    assertThat(response.substring(response.indexOf("\r\n\r\n") + 4))
        .startsWith("{\"error\":")
        .contains("Ambiguous");
  }

  private static String raw(String path) throws Exception {
    // why: java.net.http normalises paths; a raw socket sends the ambiguous one as written
    try (Socket s = new Socket("127.0.0.1", f.web.port())) {
      s.getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
