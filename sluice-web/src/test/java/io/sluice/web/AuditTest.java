package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Every admin action and every failed login leaves a line on the {@code sluice.audit} logger. */
class AuditTest {
  static WebFixture f;
  static final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    Logger audit = (Logger) LoggerFactory.getLogger("sluice.audit");
    audit.setLevel(Level.INFO);
    lines.start();
    audit.addAppender(lines);
    f = WebFixture.start(TestDags.etl());
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("sluice.audit")).detachAppender(lines);
    f.close();
  }

  private static List<String> audit() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void adminActionsAndFailedLoginsAreAudited() throws Exception {
    f.postJson(
        "/api/v1/users",
        "admin",
        "{\"username\":\"audited\",\"password\":\"audited-pw-1\",\"role\":\"viewer\"}");
    f.send("PATCH", "/api/v1/users/audited", "admin", "{\"role\":\"op\"}");
    f.send("PATCH", "/api/v1/users/audited", "admin", "{\"password\":\"audited-pw-2\"}");
    String token =
        f.postJson("/api/v1/users/admin/tokens", "admin", "{\"name\":\"ci\"}")
            .path("token_id")
            .asText();
    f.send("DELETE", "/api/v1/users/admin/tokens/" + token, "admin", null);
    f.postJson("/api/v1/variables", "op", "{\"key\":\"audited_var\",\"value\":\"v\"}");
    f.postJson("/api/v2/pools", "op", "{\"name\":\"audited_pool\",\"slots\":2}");
    f.postJson(
        "/api/v1/connections", "op", "{\"connection_id\":\"audited_conn\",\"conn_type\":\"http\"}");
    f.send("DELETE", "/api/v1/users/audited", "admin", null);
    f.send("POST", "/login", null, "{\"username\":\"admin\",\"password\":\"wrong\"}");

    assertThat(audit())
        .anyMatch(l -> l.startsWith("POST /api/v1/users status=201 user=\"admin\""))
        .anyMatch(l -> l.startsWith("PATCH /api/v1/users/audited status=200 user=\"admin\""))
        .anyMatch(l -> l.startsWith("POST /api/v1/users/admin/tokens status="))
        .anyMatch(l -> l.startsWith("DELETE /api/v1/users/admin/tokens/" + token + " status="))
        .anyMatch(l -> l.startsWith("POST /api/v1/variables status=") && l.contains("\"op\""))
        .anyMatch(l -> l.startsWith("POST /api/v2/pools status=201"))
        .anyMatch(l -> l.startsWith("POST /api/v1/connections status="))
        .anyMatch(l -> l.startsWith("DELETE /api/v1/users/audited status="))
        .anyMatch(l -> l.startsWith("login failed: user=\"admin\"") && l.contains("address="));
    assertThat(audit()).noneMatch(l -> l.contains("audited-pw"));
  }
}
