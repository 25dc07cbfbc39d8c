package io.sluice.cli.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.InProcessSluice;
import io.sluice.cli.SluiceProcess.Result;
import io.sluice.core.config.SluiceConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Airflow's {@code dags state | next-execution | details | delete}, {@code tasks state}, {@code
 * pools} and the import and export of variables and connections, run as the command line runs them
 * (in this JVM, for speed) against the embedded H2 metadata database.
 */
class AirflowCommandsCliIT {
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
        tags: [seed]
        tasks:
          - id: extract
            type: shell
            command: "echo rows for {{ ds }}"
          - id: load
            type: noop
            depends_on: [extract]
        """);
    Files.writeString(
        dags.resolve("by_hand.yaml"),
        """
        dag_id: by_hand
        tasks:
          - id: a
            type: noop
        """);
    try (ServerSocket s = new ServerSocket(0)) {
      unusedPort = s.getLocalPort();
    }
  }

  /** Runs one command against the metadata database under {@code home/db}. */
  static Result sluice(String db, String... args) {
    return InProcessSluice.runWith(
        SluiceConfig.load(
            null,
            Map.of(
                "SLUICE_DATA_DIR", home.resolve(db).toString(),
                "SLUICE_DAGS_FOLDER", home.resolve("dags").toString(),
                "SLUICE_DB_PORT", Integer.toString(unusedPort))),
        args);
  }

  @AfterAll
  static void forgetPublishedConfiguration() {
    InProcessSluice.forget();
  }

  static Result ok(String db, String... args) {
    Result r = sluice(db, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  static JsonNode json(Result r) throws IOException {
    String out = r.out();
    return new ObjectMapper().readTree(out.substring(out.indexOf('[')));
  }

  @Test
  void runAndTaskStatesByRunIdOrDateNextExecutionsDetailsAndDelete() throws Exception {
    ok("a", "dags", "backfill", "chain", "--from", "2024-03-01", "--to", "2024-03-01", "--local");
    String runId = null;
    for (JsonNode r : json(ok("a", "dags", "list-runs", "chain", "-o", "json")))
      if (r.get("logical_date").asText().startsWith("2024-03-01")) runId = r.get("run_id").asText();
    assertThat(runId).as("the backfill's run").isNotNull();
    assertThat(ok("a", "dags", "state", "chain", "2024-03-01").out().strip()).isEqualTo("success");
    assertThat(ok("a", "dags", "state", "chain", runId).out().strip()).isEqualTo("success");
    assertThat(ok("a", "tasks", "state", "chain", "extract", "2024-03-01").out().strip())
        .isEqualTo("success");
    JsonNode ti = json(ok("a", "tasks", "state", "chain", "load", runId, "-o", "json")).get(0);
    assertThat(ti.get("state").asText()).isEqualTo("success");
    assertThat(ti.get("task_id").asText()).isEqualTo("load");
    assertThat(ok("a", "tasks", "render", "chain", "extract", "2024-03-01").lines())
        .containsSubsequence("# property: command", "echo rows for 2024-03-01");
    assertThat(sluice("a", "tasks", "render", "chain", "load", runId).err())
        .contains("rendered no template fields");

    Result noRun = sluice("a", "dags", "state", "chain", "2023-01-01");
    assertThat(noRun.exit()).isEqualTo(1);
    assertThat(noRun.err()).contains("DAG 'chain' has no run with id or logical date '2023-01-01'");
    assertThat(sluice("a", "dags", "state", "nodag", "2024-03-01").err())
        .contains("DAG 'nodag' not found");
    assertThat(sluice("a", "tasks", "state", "chain", "nope", runId).err())
        .contains("DAG 'chain' has no task 'nope'");

    List<String> next = ok("a", "dags", "next-execution", "chain", "-n", "3").lines();
    assertThat(next).hasSize(3);
    for (int i = 1; i < 3; i++)
      assertThat(
              Duration.between(
                  OffsetDateTime.parse(next.get(i - 1)), OffsetDateTime.parse(next.get(i))))
          .isEqualTo(Duration.ofDays(1));
    assertThat(ok("a", "dags", "next-execution", "by_hand").out().strip()).isEqualTo("None");

    JsonNode details = json(ok("a", "dags", "details", "chain", "-o", "json")).get(0);
    assertThat(details.get("timetable_summary").asText()).isEqualTo("@daily");
    assertThat(details.get("task_ids").toString()).isEqualTo("[\"extract\",\"load\"]");
    assertThat(details.get("tags").toString()).isEqualTo("[\"seed\"]");
    assertThat(details.get("next_dagrun").asText()).isEqualTo(next.get(0));
    assertThat(ok("a", "dags", "details", "chain").out()).containsPattern("catchup +false");

    // the backfill's run, and the run the scheduler created meanwhile for the latest interval
    assertThat(ok("a", "dags", "delete", "chain", "-y").out())
        .containsPattern("deleted DAG chain with [12] run\\(s\\)");
    assertThat(sluice("a", "dags", "state", "chain", runId).err())
        .contains("DAG 'chain' has no run with id or logical date '" + runId + "'");
    assertThat(sluice("a", "dags", "delete", "nodag", "-y").err())
        .contains("DAG 'nodag' not found");
  }

  @Test
  void poolsAreSetListedAndDeletedButNotTheDefaultPool() throws Exception {
    ok("b", "pools", "set", "etl", "4", "ETL jobs");
    JsonNode pools = json(ok("b", "pools", "list", "-o", "json"));
    assertThat(pools.toString())
        .contains("{\"pool\":\"default_pool\",\"slots\":128,\"used_slots\":0")
        .contains("{\"pool\":\"etl\",\"slots\":4,\"used_slots\":0,\"description\":\"ETL jobs\"}");
    assertThat(sluice("b", "pools", "delete", "default_pool").err())
        .contains("default_pool cannot be deleted");
    assertThat(sluice("b", "pools", "delete", "nopool").err()).contains("pool 'nopool' not found");
    assertThat(sluice("b", "pools", "set", "etl", "-2").err()).contains("not -2");
    ok("b", "pools", "delete", "etl");
    assertThat(ok("b", "pools", "list").out()).contains("default_pool").doesNotContain("etl");
  }

  @Test
  void variablesAndConnectionsRoundTripThroughAirflowsJsonWithoutPrintingSecrets()
      throws Exception {
    ok("c", "variables", "set", "plain", "hello");
    ok("c", "variables", "set", "cfg", "{\"a\":[1,2]}");
    ok("c", "variables", "set", "api_password", "var-secret-7");
    ok(
        "c",
        "connections",
        "add",
        "pg",
        "--uri",
        "postgres://u:conn-secret-9@db:5432/s?sslmode=require");

    Path vars = home.resolve("vars.json");
    Result exported = ok("c", "variables", "export", vars.toString());
    assertThat(exported.out()).contains("3 variables successfully exported to " + vars);
    assertThat(new ObjectMapper().readTree(vars.toFile()))
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "{\"api_password\":\"var-secret-7\",\"cfg\":{\"a\":[1,2]},\"plain\":\"hello\"}"));
    assertThat(Files.getPosixFilePermissions(vars))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    Path conns = home.resolve("conns.json");
    ok("c", "connections", "export", conns.toString());
    JsonNode pg = new ObjectMapper().readTree(conns.toFile()).get("pg");
    assertThat(pg.get("conn_type").asText()).isEqualTo("postgres");
    assertThat(pg.get("password").asText()).isEqualTo("conn-secret-9");
    assertThat(pg.get("port").asInt()).isEqualTo(5432);
    assertThat(new ObjectMapper().readTree(pg.get("extra").asText()).get("sslmode").asText())
        .isEqualTo("require");

    Result varsIn = ok("d", "variables", "import", vars.toString());
    assertThat(varsIn.out()).contains("3 of 3 variables successfully updated.");
    assertThat(ok("d", "variables", "get", "cfg").out().strip()).isEqualTo("{\"a\":[1,2]}");
    assertThat(ok("d", "variables", "get", "plain").out().strip()).isEqualTo("hello");
    Result fail = sluice("d", "variables", "import", vars.toString(), "-a", "fail");
    assertThat(fail.exit()).isNotZero();
    assertThat(fail.err()).contains("these variables exist already").contains("plain");

    assertThat(ok("d", "connections", "import", conns.toString()).out())
        .contains("Imported connection pg");
    assertThat(ok("d", "connections", "import", conns.toString()).out())
        .contains("Could not import connection pg: connection already exists.");
    Path again = home.resolve("conns-again.json");
    ok("d", "connections", "export", again.toString());
    assertThat(new ObjectMapper().readTree(again.toFile()))
        .isEqualTo(new ObjectMapper().readTree(conns.toFile()));
    Result shown = ok("d", "connections", "get", "pg", "-o", "json");
    String printed = shown.out() + shown.err() + varsIn.out() + exported.out();
    assertThat(printed).doesNotContain("conn-secret-9").doesNotContain("var-secret-7");
    assertThat(sluice("d", "connections", "export", "-").err()).contains("never printed");
  }
}
