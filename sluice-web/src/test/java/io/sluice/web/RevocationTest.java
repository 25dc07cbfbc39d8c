package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.store.JdbcStore;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import io.sluice.web.auth.UserRepository;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A password reset, a deletion or a role change made by another process (here: another {@link
 * UserRepository} on the same database, as {@code sluice users} is) ends the user's Basic access
 * sessions and JWTs at the next request.
 */
class RevocationTest {
  static WebFixture f;
  static UserRepository otherProcess;

  @BeforeAll
  static void start() throws Exception {
    f = WebFixture.start(TestDags.etl());
    otherProcess = new UserRepository(((JdbcStore) f.kit.store()).dataSource(), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  private int basic(String user, String password) throws Exception {
    return f.http
        .send(
            HttpRequest.newBuilder(URI.create(f.base + "/api/v1/dags"))
                .header("Authorization", WebFixture.basic(user, password))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private String login(String user, String password) throws Exception {
    HttpResponse<String> r =
        f.http.send(
            HttpRequest.newBuilder(URI.create(f.base + "/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Matcher m =
        Pattern.compile("sluice_session=([0-9a-f]+)")
            .matcher(r.headers().firstValue("Set-Cookie").orElseThrow());
    assertThat(m.find()).isTrue();
    return "sluice_session=" + m.group(1);
  }

  private int withSession(String cookie) throws Exception {
    return f.http
        .send(
            HttpRequest.newBuilder(URI.create(f.base + "/api/v1/dags"))
                .header("Cookie", cookie)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private String jwt(String user, String password) throws Exception {
    HttpResponse<String> r =
        f.send(
            "POST",
            "/auth/token",
            null,
            "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return io.sluice.web.api.Json.parse(r.body()).path("access_token").asText();
  }

  private int withJwt(String token) throws Exception {
    return f.send("GET", "/api/v2/dags", null, null, "Authorization", "Bearer " + token)
        .statusCode();
  }

  @Test
  void aJwtEndsWithAPasswordResetOrTheUsersDeletion() throws Exception {
    otherProcess.create("jwt_user", "jwt-password-1", Role.OP);
    String token = jwt("jwt_user", "jwt-password-1");
    assertThat(withJwt(token)).isEqualTo(200);
    otherProcess.setPassword("jwt_user", "jwt-password-2");
    assertThat(withJwt(token)).isEqualTo(401);
    String fresh = jwt("jwt_user", "jwt-password-2");
    assertThat(withJwt(fresh)).isEqualTo(200);
    otherProcess.delete("jwt_user");
    assertThat(withJwt(fresh)).isEqualTo(401);
  }

  @Test
  void resetPasswordEndsBasicAccessAndSessions() throws Exception {
    otherProcess.create("reset_me", "first-password", Role.OP);
    assertThat(basic("reset_me", "first-password")).isEqualTo(200);
    String cookie = login("reset_me", "first-password");
    assertThat(withSession(cookie)).isEqualTo(200);

    otherProcess.setPassword("reset_me", "second-password");

    assertThat(basic("reset_me", "first-password")).isEqualTo(401);
    assertThat(withSession(cookie)).isEqualTo(401);
    assertThat(basic("reset_me", "second-password")).isEqualTo(200);
  }

  @Test
  void deletedUserIsRefusedOverBasicAndThroughItsSession() throws Exception {
    otherProcess.create("delete_me", "delete-password", Role.VIEWER);
    assertThat(basic("delete_me", "delete-password")).isEqualTo(200);
    String cookie = login("delete_me", "delete-password");

    otherProcess.delete("delete_me");

    assertThat(basic("delete_me", "delete-password")).isEqualTo(401);
    assertThat(withSession(cookie)).isEqualTo(401);
  }

  @Test
  void roleChangeEndsTheSession() throws Exception {
    otherProcess.create("demote_me", "demote-password", Role.ADMIN);
    String cookie = login("demote_me", "demote-password");
    assertThat(withSession(cookie)).isEqualTo(200);
    otherProcess.setRole("demote_me", Role.VIEWER);
    assertThat(withSession(cookie)).isEqualTo(401);
    String again = login("demote_me", "demote-password");
    HttpResponse<String> me =
        f.http.send(
            HttpRequest.newBuilder(URI.create(f.base + "/api/v1/me"))
                .header("Cookie", again)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(Json.parse(me.body()).path("role").asText()).isEqualTo("viewer");
  }

  @Test
  void everyLoginUpdatesLastLogin() throws Exception {
    otherProcess.create("logs_in", "logs-in-password", Role.VIEWER);
    assertThat(otherProcess.find("logs_in").orElseThrow().lastLoginAt()).isNull();
    assertThat(basic("logs_in", "logs-in-password")).isEqualTo(200);
    var first = otherProcess.find("logs_in").orElseThrow().lastLoginAt();
    assertThat(first).isNotNull();
    f.kit.clock().set(f.kit.now().plusSeconds(60));
    assertThat(basic("logs_in", "logs-in-password")).isEqualTo(200);
    assertThat(otherProcess.find("logs_in").orElseThrow().lastLoginAt()).isAfter(first);
  }

  @Test
  void sprayingManyNamesFromOneAddressIsThrottled() throws Exception {
    int throttled = 0;
    String retryAfter = null;
    // why: its own server, so that the address it throttles is not the other tests' address
    try (WebFixture g = WebFixture.start(TestDags.etl())) {
      for (int i = 0; i < 30; i++) {
        HttpResponse<String> r =
            g.http.send(
                HttpRequest.newBuilder(URI.create(g.base + "/api/v1/dags"))
                    .header("Authorization", WebFixture.basic("spray" + i, "guess-" + i))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 429) {
          throttled++;
          retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        }
      }
    }
    assertThat(throttled).isGreaterThanOrEqualTo(15);
    assertThat(retryAfter).isNotNull();
  }
}
