package io.sluice.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.SluiceProcess;
import io.sluice.cli.SluiceProcess.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the {@code sluice} command in child JVMs against a YAML DAG folder and the embedded file
 * database.
 */
class OrchestratorCliIT {
  @TempDir static Path home;
  static int unusedPort;

  @BeforeAll
  static void writeDags() throws IOException {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("chain.yaml"),
        """
        dag_id: chain
        schedule: "@daily"
        start_date: 2024-01-01
        catchup: false
        tasks:
          - id: extract
            type: shell
            command: "echo rows for {{ ds }}"
          - id: load
            type: noop
            depends_on: [extract]
        """);
    Files.writeString(
        dags.resolve("broken.yaml"),
        """
        dag_id: broken
        tasks:
          - id: a
            type: noop
            depends_on: [missing]
        """);
    try (ServerSocket s = new ServerSocket(0)) {
      unusedPort = s.getLocalPort();
    }
  }

  static Result sluice(String... args) throws Exception {
    return new SluiceProcess(home.resolve("run"))
        .env("SLUICE_DATA_DIR", home.resolve("data").toString())
        .env("SLUICE_DAGS_FOLDER", home.resolve("dags").toString())
        .env("SLUICE_DB_PORT", Integer.toString(unusedPort))
        .run(args);
  }

  static JsonNode json(Result r) throws IOException {
    String out = r.out();
    return new ObjectMapper().readTree(out.substring(out.indexOf('[')));
  }

  @Test
  void dagsTestRunsTheYamlDagAndListingsUseAirflowFieldNames() throws Exception {
    Result migrate = sluice("db", "migrate");
    assertThat(migrate.exit()).as(migrate.err()).isZero();

    JsonNode dags = json(sluice("dags", "list", "--output", "json"));
    assertThat(dags.findValuesAsText("dag_id")).contains("chain").doesNotContain("broken");

    JsonNode errors = json(sluice("dags", "list-import-errors", "--output", "json"));
    assertThat(errors.toString())
        .contains("broken.yaml")
        .contains("depends on unknown task 'missing'");

    JsonNode test = json(sluice("dags", "test", "chain", "2024-02-01", "--output", "json"));
    assertThat(test).hasSize(2);
    for (JsonNode ti : test) {
      assertThat(ti.get("state").asText()).isEqualTo("success");
      assertThat(ti.get("try_number").asInt()).isEqualTo(1);
      assertThat(ti.get("run_id").asText()).isEqualTo("test__2024-02-01T00:00:00+00:00");
    }

    Result trigger =
        sluice(
            "dags",
            "trigger",
            "chain",
            "--conf",
            "{\"k\":1}",
            "-e",
            "2024-03-01",
            "--output",
            "json");
    assertThat(trigger.exit()).as(trigger.err()).isZero();
    JsonNode run = json(trigger).get(0);
    assertThat(run.get("logical_date").asText()).isEqualTo("2024-03-01T00:00:00+00:00");
    assertThat(run.get("data_interval_start").asText()).isEqualTo("2024-02-29T00:00:00+00:00");
    assertThat(run.get("data_interval_end").asText()).isEqualTo("2024-03-01T00:00:00+00:00");
    assertThat(run.get("state").asText()).isEqualTo("queued");

    JsonNode states =
        json(sluice("tasks", "states-for-run", "chain", "latest", "--output", "json"));
    assertThat(states.findValuesAsText("task_id")).isEmpty();

    assertThat(sluice("dags", "pause", "chain").out()).contains("paused: true");
    assertThat(json(sluice("dags", "list", "--output", "json")).get(0).get("is_paused").asBoolean())
        .isTrue();
  }

  @Test
  void seed003sCommandsAsTheSeedTypesThem() throws Exception {
    Result init = sluice("db", "init");
    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(init.out()).contains("migrated");

    String[] seedUser = {
      "users",
      "create",
      "--role",
      "Admin",
      "--username",
      "seed",
      "--email",
      "admin",
      "--firstname",
      "admin",
      "--lastname",
      "admin",
      "--password"
    };
    Result refused = sluice(concat(seedUser, "admin"));
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err())
        .contains("password refused by the password rule: a password needs at least 8 characters");

    Result created = sluice(concat(seedUser, "admin-on-a-laptop"));
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("created user 'seed' with role admin");
    assertThat(created.err()).contains("visible to other processes");
    JsonNode users = json(sluice("users", "list", "--output", "json"));
    assertThat(users.toString()).contains("\"username\":\"seed\"").contains("\"email\":\"admin\"");

    Result random =
        sluice("users", "create", "--role", "VIEWER", "--username", "r", "--use-random-password");
    assertThat(random.exit()).as(random.err()).isZero();
    assertThat(random.out()).containsPattern("password: [A-Za-z0-9]{20}");

    Result list = sluice("dags", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.out()).contains("chain");
  }

  private static String[] concat(String[] head, String last) {
    String[] all = java.util.Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }
}
