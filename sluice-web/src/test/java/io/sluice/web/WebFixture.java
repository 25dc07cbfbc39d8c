package io.sluice.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.Dag;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.engine.EngineOptions;
import io.sluice.core.engine.Engines;
import io.sluice.core.tasks.TaskTypeRegistry;
import io.sluice.core.testing.TestScheduler;
import io.sluice.core.time.Sleeper;
import io.sluice.local.LocalStack;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A web server on a free port over the test kit's scheduler (virtual clock, in-memory H2), with an
 * {@code admin}, an {@code op} and a {@code viewer} user, and an HTTP client.
 */
final class WebFixture implements AutoCloseable {
  static final String ADMIN_PASSWORD = "admin-password-1";
  static final String OP_PASSWORD = "op-password-1";
  static final String VIEWER_PASSWORD = "viewer-password-1";

  final TestScheduler<JdbcStore> kit;
  final WebServer web;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;
  final String printed;
  final Path dataDir;

  private WebFixture(TestScheduler<JdbcStore> kit, WebServer web, String printed, Path dataDir) {
    this.kit = kit;
    this.web = web;
    this.base = "http://127.0.0.1:" + web.port();
    this.printed = printed;
    this.dataDir = dataDir;
  }

  static SluiceConfig config(Path dataDir) {
    return SluiceConfig.defaults()
        .with(Settings.DATA_DIR, dataDir.toString())
        // why: no local stack in unit tests; the pipeline page reports Kafka and Cassandra down
        .with(Settings.KAFKA_BOOTSTRAP, "127.0.0.1:1")
        .with(Settings.CASSANDRA_CONTACT_POINTS, "127.0.0.1:1");
  }

  static WebFixture start(String adminPassword, Dag... dags) throws Exception {
    Path dataDir = Files.createTempDirectory("sluice-web-test");
    TestScheduler<JdbcStore> kit =
        TestScheduler.on(MetadataDatabases.inMemory(), Instant.parse("2024-03-01T00:00:00Z"), dags);
    kit.scheduler().syncDags();
    SluiceConfig config = config(dataDir);
    if (adminPassword != null) config = config.with(WebSettings.ADMIN_PASSWORD, adminPassword);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WebServer web =
        WebServer.start(
            config,
            kit.scheduler().runs(),
            kit.scheduler(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            0);
    if (adminPassword != null) {
      web.users().create("op", OP_PASSWORD, Role.OP);
      web.users().create("viewer", VIEWER_PASSWORD, Role.VIEWER);
    }
    return new WebFixture(kit, web, out.toString(StandardCharsets.UTF_8), dataDir);
  }

  /** A started scheduler on the system clock over the DAG files in {@code dags}. */
  static EngineLoop startScheduler(JdbcStore store, Path dags, SluiceConfig config) {
    DagBag bag = new DagBag(dags, TaskTypeRegistry.load(), Clock.systemUTC());
    EngineLoop scheduler =
        new Engines(
                store,
                bag,
                Clock.systemUTC(),
                Sleeper.SYSTEM,
                ConnectionResolver.fromEnvironment(Map.of()),
                EngineOptions.from(config))
            .standalone()
            .start();
    scheduler.syncDags();
    return scheduler;
  }

  /** The web server on a free port beside a running scheduler, with the admin's password set. */
  static WebServer startWeb(SluiceConfig config, EngineLoop scheduler, String adminPassword) {
    return WebServer.start(
        config.with(WebSettings.ADMIN_PASSWORD, adminPassword),
        scheduler.runs(),
        scheduler,
        new java.io.PrintStream(System.out, true, StandardCharsets.UTF_8),
        0);
  }

  /**
   * A scheduler on the system clock and a web server on a free port over a real local stack, with
   * the DAG files {@code dagFiles} (file name to YAML) in their folder, an in-memory metadata
   * database, and an {@code admin} (with {@code adminPassword}), an {@code op} and a {@code viewer}
   * user. Browser tests start one per class.
   */
  static final class OnStack implements AutoCloseable {
    final SluiceConfig config;
    final Path dags;
    final JdbcStore store;
    final EngineLoop scheduler;
    final WebServer web;
    final String base;

    private OnStack(SluiceConfig config, Path dags, String adminPassword) {
      this.config = config;
      this.dags = dags;
      this.store = MetadataDatabases.inMemory();
      this.scheduler = startScheduler(store, dags, config);
      this.web = startWeb(config, scheduler, adminPassword);
      this.base = "http://127.0.0.1:" + web.port();
      web.users().create("op", OP_PASSWORD, Role.OP);
      web.users().create("viewer", VIEWER_PASSWORD, Role.VIEWER);
    }

    static OnStack start(LocalStack stack, String adminPassword, Map<String, String> dagFiles)
        throws Exception {
      Path dir = Files.createTempDirectory("sluice-web-stack");
      Path dags = Files.createDirectories(dir.resolve("dags"));
      for (var f : dagFiles.entrySet()) Files.writeString(dags.resolve(f.getKey()), f.getValue());
      SluiceConfig config =
          stack
              .config()
              .with(Settings.DATA_DIR, dir.toString())
              .with(Settings.DAGS_FOLDER, dags.toString());
      return new OnStack(config, dags, adminPassword);
    }

    /** A Chromium of the given size logged in as {@code user} on this server. */
    Browser browser(String user, String password, int width, int height) throws Exception {
      Browser b = Browser.open(base, width, height);
      b.logIn(user, password);
      return b;
    }

    /** A request as {@code user} with HTTP Basic, as a script would send it. */
    HttpResponse<String> send(String method, String path, String user, String password, String body)
        throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", basic(user, password))
              .header("Content-Type", "application/json");
      b.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body));
      return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
      web.close();
      scheduler.close();
      store.close();
    }
  }

  static WebFixture start(Dag... dags) throws Exception {
    return start(ADMIN_PASSWORD, dags);
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String password(String user) {
    return switch (user) {
      case "admin" -> ADMIN_PASSWORD;
      case "op" -> OP_PASSWORD;
      default -> VIEWER_PASSWORD;
    };
  }

  HttpResponse<String> send(String method, String path, String user, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (user != null) b.header("Authorization", basic(user, password(user)));
    if (body != null) b.header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String user) throws Exception {
    return send("GET", path, user, null);
  }

  JsonNode getJson(String path, String user) throws Exception {
    HttpResponse<String> r = get(path, user);
    if (r.statusCode() != 200)
      throw new AssertionError("GET " + path + " -> " + r.statusCode() + ": " + r.body());
    return Json.parse(r.body());
  }

  JsonNode postJson(String path, String user, String body) throws Exception {
    HttpResponse<String> r = send("POST", path, user, body);
    if (r.statusCode() / 100 != 2)
      throw new AssertionError("POST " + path + " -> " + r.statusCode() + ": " + r.body());
    return Json.parse(r.body());
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public void close() {
    web.close();
    kit.close();
  }
}
