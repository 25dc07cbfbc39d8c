package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.model.Backfill;
import io.sluice.store.JdbcStore;
import io.sluice.web.api.Json;
import io.sluice.web.auth.UserRepository;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation of both OpenAPI documents (Sluice's {@code /api/v1} and Airflow 3's {@code
 * /api/v2}), read with swagger-parser, called with boundary and wrong-typed values for each
 * parameter and body field, as viewer, op and admin: no answer is a 5xx, none takes over 2 s, and a
 * refused state change leaves variables, connections, pools, DAGs, runs and users as they were.
 */
class OpenApiFuzzTest {
  static WebFixture f;
  static String runId;
  static UserRepository users;
  static io.sluice.store.ConnectionStore connections;

  /**
   * Operations that stream or long-poll by design, or that need Kafka or the schema registry
   * (absent here; the schema routes answer 502 without one, the Kafka ones 503).
   */
  static final Set<String> SKIPPED =
      Set.of(
          "/api/v1/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}/stream",
          "/api/v1/pipeline/dlq",
          "/api/v1/pipeline/dlq/replay",
          "/api/v1/schemas",
          "/api/v1/schemas/{subject}",
          "/api/v1/schemas/{subject}/diff",
          "/api/v1/kafka/topics",
          "/api/v1/kafka/topics/{topic}",
          "/api/v1/kafka/topics/{topic}/records",
          "/api/v1/kafka/groups",
          "/api/v1/kafka/groups/{group}",
          "/login",
          "/logout",
          "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/wait",
          "/api/v2/auth/login",
          "/api/v2/auth/logout");

  static final List<String> ROLES = List.of("viewer", "op", "admin");

  static final List<String> STRINGS =
      List.of(
          "",
          "x".repeat(3000),
          "has space",
          "ü-ß-✓",
          "99999999999999999999",
          "true",
          "a/b",
          "2024-13-45",
          "+99999-01-01T00:00:00Z");

  /** Query values on /api/v2, whose list operations have many filters: the sharpest of STRINGS. */
  static final List<String> V2_QUERY_STRINGS =
      List.of("", "x".repeat(3000), "true", "+99999-01-01T00:00:00Z");

  static final List<Object> VALUES =
      List.of(
          true,
          0,
          -1,
          Long.MAX_VALUE,
          "",
          "x".repeat(3000),
          "true",
          "0",
          List.of(),
          Map.of("nested", Map.of("a", 1)),
          "2024-13-45",
          "+99999-01-01T00:00:00Z");

  @BeforeAll
  static void start() throws Exception {
    f = WebFixture.start(TestDags.etl(), TestDags.daily());
    runId = f.postJson("/api/v1/dags/etl/dagRuns", "op", "{}").path("dag_run_id").asText();
    f.kit.runUntilIdle();
    var dataSource = ((JdbcStore) f.kit.store()).dataSource();
    users = new UserRepository(dataSource, Clock.systemUTC());
    connections =
        new io.sluice.store.ConnectionStore(
            dataSource, io.sluice.core.secrets.SecretBox.of(WebFixture.config(f.dataDir)));
  }

  @AfterAll
  static void stop() {
    f.close();
  }

  record Call(String method, String path, String body, String role) {}

  @Test
  void noOperationAnswers5xxHangsOrChangesStateWhenItRefuses() throws Exception {
    String v1 = new String(io.sluice.web.ui.UiRoutes.bytes("openapi.json"), StandardCharsets.UTF_8);
    List<Call> calls = new ArrayList<>(calls(v1, false));
    int v1Calls = calls.size();
    calls.addAll(calls(SpecValidator.airflowSpec(), true));
    int v2Calls = calls.size() - v1Calls;
    int refused = 0;
    long begin = System.nanoTime();
    for (Call c : calls) {
      boolean mutating = !c.method().equals("GET");
      String before = mutating ? state() : null;
      long start = System.nanoTime();
      HttpResponse<String> r = f.send(c.method(), c.path(), c.role(), c.body());
      long millis = (System.nanoTime() - start) / 1_000_000;
      String what = c.role() + " " + c.method() + " " + c.path() + " " + c.body();
      assertThat(r.statusCode()).as(what + " -> " + r.body()).isLessThan(500);
      assertThat(millis).as(what).isLessThan(2000);
      if (r.statusCode() >= 400) {
        refused++;
        String field = c.path().startsWith("/api/v2/") ? "detail" : "error";
        assertThat(Json.parse(r.body()).path(field).asText()).as(what).isNotBlank();
        if (mutating) assertThat(state()).as("state after " + what).isEqualTo(before);
      }
    }
    System.out.printf(
        "fuzz: %d requests (%d on /api/v1, %d on /api/v2), %d refused, %d ms%n",
        calls.size(), v1Calls, v2Calls, refused, (System.nanoTime() - begin) / 1_000_000);
    assertThat(v1Calls).isGreaterThanOrEqualTo(2000);
    assertThat(v2Calls).isGreaterThanOrEqualTo(2000);
    assertThat(refused).isGreaterThan(calls.size() / 2);
  }

  /**
   * The calls for every operation of {@code doc}. On /api/v1 each call is made as every role; on
   * the larger /api/v2 the valid call is, and the others take the roles in turn.
   */
  private static List<Call> calls(String doc, boolean rotateRoles) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    OpenAPI api = new OpenAPIV3Parser().readContents(doc, null, options).getOpenAPI();
    List<Call> calls = new ArrayList<>();
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, op) -> {
                          if (SKIPPED.contains(path)) return;
                          if (!rotateRoles) {
                            for (String role : ROLES)
                              calls.addAll(calls(method.name(), path, op, role));
                            return;
                          }
                          List<Call> each = calls(method.name(), path, op, "op");
                          for (int i = 0; i < each.size(); i++) {
                            Call c = each.get(i);
                            if (i == 0)
                              for (String role : ROLES)
                                calls.add(new Call(c.method(), c.path(), c.body(), role));
                            else
                              calls.add(new Call(c.method(), c.path(), c.body(), ROLES.get(i % 3)));
                          }
                        }));
    return calls;
  }

  private static List<Call> calls(String method, String template, Operation op, String role) {
    List<Call> out = new ArrayList<>();
    List<Parameter> params = op.getParameters() == null ? List.of() : op.getParameters();
    String valid = concrete(template, Map.of());
    String body = validBody(op);
    out.add(new Call(method, valid, body, role));
    for (Parameter p : params)
      for (String v :
          template.startsWith("/api/v2/") && "query".equals(p.getIn())
              ? V2_QUERY_STRINGS
              : STRINGS) {
        if (p.getName().equals("wait")) continue; // why: a long-poll by contract
        if ("path".equals(p.getIn()))
          out.add(new Call(method, concrete(template, Map.of(p.getName(), v)), body, role));
        else if ("query".equals(p.getIn()))
          out.add(
              new Call(method, valid + "?" + p.getName() + "=" + WebFixture.enc(v), body, role));
      }
    Schema<?> schema = bodySchema(op);
    if (schema != null) {
      for (String raw : List.of("", "[]", "null", "{", "{} x", "\"text\"", "{\"a\":1,\"a\":2}"))
        out.add(new Call(method, valid, raw, role));
      Map<String, Schema> props =
          schema.getProperties() == null ? Map.of() : schema.getProperties();
      for (String field : props.keySet())
        for (Object v : VALUES) {
          ObjectNode b = (ObjectNode) Json.parse(body);
          b.set(field, Json.MAPPER.valueToTree(v));
          out.add(new Call(method, valid, Json.write(b), role));
        }
    }
    return out;
  }

  private static Schema<?> bodySchema(Operation op) {
    if (op.getRequestBody() == null || op.getRequestBody().getContent() == null) return null;
    MediaType m = op.getRequestBody().getContent().get("application/json");
    return m == null ? null : m.getSchema();
  }

  /** A body every field of which has a plausible value of its declared type. */
  private static String validBody(Operation op) {
    Schema<?> s = bodySchema(op);
    if (s == null) return null;
    Map<String, Object> b = new LinkedHashMap<>();
    if (s.getProperties() != null)
      s.getProperties()
          .forEach(
              (name, declared) -> {
                Schema<?> p = effective(declared);
                if (p.getEnum() != null && !p.getEnum().isEmpty()) b.put(name, p.getEnum().get(0));
                else if ("integer".equals(p.getType())) b.put(name, 0);
                else if ("boolean".equals(p.getType())) b.put(name, false);
                else if ("object".equals(p.getType())) b.put(name, Map.of());
                else if ("array".equals(p.getType())) b.put(name, List.of());
                else if ("date".equals(p.getFormat())) b.put(name, "2024-01-01");
                else if ("date-time".equals(p.getFormat())) b.put(name, "2024-01-01T00:00:00Z");
                else b.put(name, "fuzz_" + name);
              });
    return Json.write(b);
  }

  /** A nullable field's schema ({@code anyOf: [X, null]}) as X. */
  private static Schema<?> effective(Schema<?> p) {
    if (p.getType() != null || p.getAnyOf() == null) return p;
    for (Schema<?> a : p.getAnyOf())
      if (a.getType() != null && !"null".equals(a.getType())) return a;
    return p;
  }

  private static String concrete(String template, Map<String, String> override) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("dag_id", "etl");
    values.put("run_id", runId);
    values.put("task_id", "extract");
    values.put("try_number", "1");
    values.put("key", "fuzz_key");
    values.put("username", "fuzz_user");
    values.put("token_id", "fuzz_token");
    values.put("connection_id", "fuzz_conn");
    values.put("dag_run_id", runId);
    values.put("variable_key", "fuzz_key");
    values.put("pool_name", "fuzz_pool");
    values.put("xcom_key", "return_value");
    values.put("map_index", "-1");
    values.put("task_try_number", "1");
    values.put("backfill_id", "1");
    values.putAll(override);
    String path = template;
    for (var e : values.entrySet())
      path = path.replace("{" + e.getKey() + "}", WebFixture.enc(e.getValue()));
    return path.replaceAll("\\{(\\w+)}", "fuzz_$1");
  }

  /** Everything a request could change, as one comparable string. */
  private static String state() {
    var store = f.kit.store();
    StringBuilder s = new StringBuilder();
    Map<String, String> variables = store.inTransaction(tx -> tx.variables());
    s.append(variables);
    for (var d : store.inTransaction(tx -> tx.dags())) {
      s.append(d.dagId()).append(d.paused());
      for (var r : store.inTransaction(tx -> tx.runs(d.dagId(), 1000))) {
        s.append(r.runId()).append(r.state());
        for (var t : store.inTransaction(tx -> tx.taskInstances(r.dagId(), r.runId())))
          s.append(t.taskId()).append(t.state()).append(t.tryNumber());
      }
    }
    UserRepository users = new UserRepository(((JdbcStore) store).dataSource(), Clock.systemUTC());
    for (var u : users.list())
      s.append(u.username()).append(u.role()).append(users.tokens(u.username()).size());
    s.append(connections.list());
    List<io.sluice.core.model.Pool> pools = store.inTransaction(tx -> tx.pools());
    s.append(pools);
    List<Backfill> backfills = store.inTransaction(tx -> tx.backfills(null));
    s.append(backfills);
    return s.toString();
  }
}
