package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.web.api.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who may do what: every route behind authentication, roles enforced, sessions and CSRF. */
class AuthTest {
  static WebFixture f;

  @BeforeAll
  static void start() throws Exception {
    f = WebFixture.start(TestDags.etl(), TestDags.daily());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private HttpResponse<String> raw(String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base + path));
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The paths of both of Sluice's documents: /api/v1 and /api/v2/sluice. */
  private static java.util.Iterator<java.util.Map.Entry<String, JsonNode>> documentedPaths() {
    List<java.util.Map.Entry<String, JsonNode>> all = new ArrayList<>();
    for (String name : List.of("openapi.json", "sluice-openapi.json"))
      Json.parse(new String(io.sluice.web.ui.UiRoutes.bytes(name)))
          .path("paths")
          .fields()
          .forEachRemaining(all::add);
    return all.iterator();
  }

  @Test
  void everyDocumentedEndpointRefusesRequestsWithoutCredentials() throws Exception {
    Set<String> open = Set.of("/health", "/api/v1/health", "/login");
    List<String> checked = new ArrayList<>();
    var paths = documentedPaths();
    while (paths.hasNext()) {
      var p = paths.next();
      if (open.contains(p.getKey())) continue;
      String concrete =
          p.getKey()
              .replace("{dag_id}", "etl")
              .replace("{run_id}", "manual__2024-01-01T00%3A00%3A00%2B00%3A00")
              .replace("{task_id}", "extract")
              .replace("{try_number}", "1")
              .replaceAll("\\{[a-z_]+}", "x");
      var methods = p.getValue().fieldNames();
      while (methods.hasNext()) {
        String m = methods.next().toUpperCase();
        HttpResponse<String> r =
            raw(m, concrete, m.equals("GET") ? null : "{}", "Content-Type", "application/json");
        assertThat(r.statusCode()).as(m + " " + concrete).isEqualTo(401);
        String field = concrete.startsWith("/api/v2/") ? "detail" : "error";
        assertThat(Json.parse(r.body()).path(field).asText()).isNotBlank();
        checked.add(m + " " + concrete);
      }
    }
    assertThat(checked).hasSizeGreaterThan(35);
    HttpResponse<String> page = raw("GET", "/", null);
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElse("")).startsWith("/login");
    assertThat(raw("GET", "/static/app.js", null).statusCode()).isEqualTo(302);
    assertThat(raw("GET", "/login", null).statusCode()).isEqualTo(200);
    assertThat(raw("GET", "/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void everyOperationEnforcesTheRoleItDocuments() throws Exception {
    int checked = 0;
    var paths = documentedPaths();
    while (paths.hasNext()) {
      var p = paths.next();
      String concrete =
          p.getKey()
              .replace("{dag_id}", "etl")
              .replace("{run_id}", "manual__2024-01-01T00%3A00%3A00%2B00%3A00")
              .replace("{task_id}", "extract")
              .replace("{try_number}", "1")
              .replaceAll("\\{[a-z_]+}", "x");
      var methods = p.getValue().fields();
      while (methods.hasNext()) {
        var m = methods.next();
        String role = m.getValue().path("x-sluice-role").asText("");
        String below = role.equals("admin") ? "op" : role.equals("op") ? "viewer" : null;
        if (below == null) continue;
        HttpResponse<String> r =
            f.send(
                m.getKey().toUpperCase(), concrete, below, m.getKey().equals("get") ? null : "{}");
        assertThat(r.statusCode()).as(below + ": " + m.getKey() + " " + concrete).isEqualTo(403);
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(14);
  }

  @Test
  void viewerCannotTriggerPauseClearOrWriteVariables() throws Exception {
    int runsBefore = f.kit.runs("etl").size();
    HttpResponse<String> trigger = f.send("POST", "/api/v1/dags/etl/dagRuns", "viewer", "{}");
    assertThat(trigger.statusCode()).isEqualTo(403);
    assertThat(Json.parse(trigger.body()).path("error").asText()).contains("viewer");
    assertThat(f.send("PATCH", "/api/v1/dags/etl", "viewer", "{\"is_paused\": true}").statusCode())
        .isEqualTo(403);
    assertThat(f.send("POST", "/api/v1/dags/etl/pause", "viewer", null).statusCode())
        .isEqualTo(403);
    assertThat(
            f.send("POST", "/api/v1/variables", "viewer", "{\"key\":\"k\",\"value\":\"v\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(f.kit.runs("etl")).hasSize(runsBefore);
    assertThat(f.kit.store().inTransaction(tx -> tx.dag("etl")).orElseThrow().paused()).isFalse();
    assertThat(f.get("/api/v1/dags", "viewer").statusCode()).isEqualTo(200);
  }

  @Test
  void onlyAdminsManageUsers() throws Exception {
    String body = "{\"username\":\"eve\",\"password\":\"eve-password\",\"role\":\"admin\"}";
    assertThat(f.send("POST", "/api/v1/users", "op", body).statusCode()).isEqualTo(403);
    assertThat(f.get("/api/v1/users", "op").statusCode()).isEqualTo(403);
    assertThat(f.get("/api/v1/users/admin", "viewer").statusCode()).isEqualTo(403);
    assertThat(
            f.send("PATCH", "/api/v1/users/viewer", "viewer", "{\"role\":\"admin\"}").statusCode())
        .isEqualTo(403);
    assertThat(f.web.users().find("eve")).isEmpty();
  }

  @Test
  void wrongPasswordIsRefusedAndRepeatedFailuresAreSlowedDown() throws Exception {
    String user = "op";
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r =
          raw("GET", "/api/v1/dags", null, "Authorization", WebFixture.basic(user, "wrong-" + i));
      assertThat(r.statusCode()).as("attempt " + i).isEqualTo(401);
    }
    // throttled now: even the right password must wait
    HttpResponse<String> blocked =
        raw(
            "GET",
            "/api/v1/dags",
            null,
            "Authorization",
            WebFixture.basic(user, WebFixture.OP_PASSWORD));
    assertThat(blocked.statusCode()).isEqualTo(429);
    assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
    long wait = Long.parseLong(blocked.headers().firstValue("Retry-After").get());
    f.kit.clock().set(f.kit.now().plus(Duration.ofSeconds(wait)));
    assertThat(
            raw("GET", "/api/v1/dags", null, "Authorization", WebFixture.basic(user, "wrong-again"))
                .statusCode())
        .isEqualTo(401);
    HttpResponse<String> longer =
        raw(
            "GET",
            "/api/v1/dags",
            null,
            "Authorization",
            WebFixture.basic(user, WebFixture.OP_PASSWORD));
    assertThat(longer.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(longer.headers().firstValue("Retry-After").get()))
        .isGreaterThan(wait);
    f.kit.clock().set(f.kit.now().plus(Duration.ofMinutes(10)));
    assertThat(
            raw(
                    "GET",
                    "/api/v1/dags",
                    null,
                    "Authorization",
                    WebFixture.basic(user, WebFixture.OP_PASSWORD))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void browserSessionNeedsCsrfTokenForStateChanges() throws Exception {
    HttpResponse<String> login =
        raw(
            "POST",
            "/login",
            "{\"username\":\"op\",\"password\":\"" + WebFixture.OP_PASSWORD + "\"}",
            "Content-Type",
            "application/json");
    assertThat(login.statusCode()).isEqualTo(200);
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
    Matcher m = Pattern.compile("sluice_session=([0-9a-f]+)").matcher(setCookie);
    assertThat(m.find()).isTrue();
    String cookie = "sluice_session=" + m.group(1);
    String csrf = Json.parse(login.body()).path("csrf_token").asText();
    assertThat(csrf).hasSize(64);

    assertThat(raw("GET", "/api/v1/dags", null, "Cookie", cookie).statusCode()).isEqualTo(200);
    HttpResponse<String> noToken = raw("POST", "/api/v1/dags/daily/pause", null, "Cookie", cookie);
    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(noToken.body()).contains("CSRF");
    HttpResponse<String> crossSite =
        raw(
            "POST",
            "/api/v1/dags/daily/pause",
            null,
            "Cookie",
            cookie,
            "X-CSRF-Token",
            csrf,
            "Origin",
            "http://evil.example");
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(f.kit.store().inTransaction(tx -> tx.dag("daily")).orElseThrow().paused()).isFalse();
    HttpResponse<String> ok =
        raw("POST", "/api/v1/dags/daily/pause", null, "Cookie", cookie, "X-CSRF-Token", csrf);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(f.kit.store().inTransaction(tx -> tx.dag("daily")).orElseThrow().paused()).isTrue();
    raw("POST", "/api/v1/dags/daily/unpause", null, "Cookie", cookie, "X-CSRF-Token", csrf);

    assertThat(raw("POST", "/logout", null, "Cookie", cookie, "X-CSRF-Token", csrf).statusCode())
        .isEqualTo(200);
    assertThat(raw("GET", "/api/v1/dags", null, "Cookie", cookie).statusCode()).isEqualTo(401);
  }

  @Test
  void revokedApiTokenIsRefused() throws Exception {
    JsonNode t = f.postJson("/api/v1/users/op/tokens", "op", "{\"name\":\"script\"}");
    String token = t.path("token").asText();
    assertThat(raw("GET", "/api/v1/dags", null, "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(200);
    assertThat(
            f.send("DELETE", "/api/v1/users/op/tokens/" + t.path("token_id").asText(), "op", null)
                .statusCode())
        .isEqualTo(204);
    assertThat(raw("GET", "/api/v1/dags", null, "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(401);
    assertThat(
            raw("GET", "/api/v1/dags", null, "Authorization", "Bearer slc_bad_token").statusCode())
        .isEqualTo(401);
  }

  @Test
  void firstStartGeneratesAnAdminPasswordAndPrintsItOnce() throws Exception {
    try (WebFixture fresh = WebFixture.start((String) null, TestDags.etl())) {
      Matcher m = Pattern.compile("\\n\\s{4}(\\S{20})\\n").matcher(fresh.printed);
      assertThat(m.find()).as(fresh.printed).isTrue();
      String generated = m.group(1);
      assertThat(generated).isNotEqualTo("admin");
      HttpResponse<String> ok =
          fresh.http.send(
              HttpRequest.newBuilder(URI.create(fresh.base + "/api/v1/me"))
                  .header("Authorization", WebFixture.basic("admin", generated))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(Json.parse(ok.body()).path("role").asText()).isEqualTo("admin");
      HttpResponse<String> adminAdmin =
          fresh.http.send(
              HttpRequest.newBuilder(URI.create(fresh.base + "/api/v1/me"))
                  .header("Authorization", WebFixture.basic("admin", "admin"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(adminAdmin.statusCode()).isEqualTo(401);
      var again = new java.io.ByteArrayOutputStream();
      assertThat(
              WebServer.ensureAdmin(
                  fresh.kit.store(),
                  WebFixture.config(fresh.dataDir),
                  new java.io.PrintStream(again, true)))
          .isEmpty();
      assertThat(again.toString()).doesNotContain(generated).isEmpty();
    }
  }
}
