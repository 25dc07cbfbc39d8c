package io.sluice.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.DagBag;
import io.sluice.core.engine.EngineLoop;
import io.sluice.core.service.BackfillService;
import io.sluice.core.service.DagRunService;
import io.sluice.core.service.ServiceException;
import io.sluice.core.store.MetadataStore;
import io.sluice.ingest.kafka.TopicBrowser;
import io.sluice.records.registry.HttpSchemaRegistry;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import io.sluice.schemaregistry.client.SchemaRegistryClient;
import io.sluice.store.JdbcStore;
import io.sluice.web.api.AdminApi;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.BackfillsApi;
import io.sluice.web.api.ConnectionsApi;
import io.sluice.web.api.DagsApi;
import io.sluice.web.api.Json;
import io.sluice.web.api.v2.V2Api;
import io.sluice.web.auth.AdminBootstrap;
import io.sluice.web.auth.Audit;
import io.sluice.web.auth.Auth;
import io.sluice.web.auth.JwtTokens;
import io.sluice.web.auth.LoginThrottle;
import io.sluice.web.auth.RequestGuard;
import io.sluice.web.auth.Sessions;
import io.sluice.web.auth.UserRepository;
import io.sluice.web.db.EventLog;
import io.sluice.web.db.Notes;
import io.sluice.web.kafka.KafkaApi;
import io.sluice.web.metrics.SluiceMetrics;
import io.sluice.web.pipeline.PipelineApi;
import io.sluice.web.pipeline.PipelineStatus;
import io.sluice.web.schemas.SchemasApi;
import io.sluice.web.ui.UiRoutes;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web server: Airflow 3's REST API under {@code /api/v2} (and the deprecated {@code /api/v1}),
 * the web UI, {@code /metrics} and {@code /health}, in one Javalin (Jetty 12) server, listening on
 * {@link WebSettings#WEB_HOST} (127.0.0.1 unless configured). Every request passes {@link
 * RequestGuard} and {@link Auth} first. Its caller composes the {@link DagRunService} it serves:
 * {@code sluice webserver} runs it alone over a client's service, {@code sluice standalone} beside
 * the scheduler over the scheduler's.
 *
 * {@snippet :
 * try (WebServer web = WebServer.start(config, scheduler.runs(), scheduler)) {
 *   System.out.println("UI on http://127.0.0.1:" + web.port());
 *   web.join();
 * }
 * }
 */
public final class WebServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  private final Javalin app;
  private final PipelineStatus pipeline;
  private final SluiceMetrics metrics;
  private final UserRepository users;

  private WebServer(
      Javalin app, PipelineStatus pipeline, SluiceMetrics metrics, UserRepository users) {
    this.app = app;
    this.pipeline = pipeline;
    this.metrics = metrics;
    this.users = users;
  }

  /**
   * Starts the server on {@link WebSettings#WEB_PORT} (0 picks a free port) and creates the first
   * admin user when there is none (printing a generated password to stdout once).
   *
   * @param runs the service the REST API and the UI call, over the migrated metadata database (a
   *     {@link JdbcStore}: users live in its tables) and the DAG bag; its caller composes it
   * @param scheduler the scheduler of this process, whose {@link EngineLoop#runs() runs} {@code
   *     runs} must then be, or null: the operations of {@code runs} are then written to the
   *     database for the scheduler process to pick up, and this server re-scans the DAG bag
   */
  public static WebServer start(SluiceConfig config, DagRunService runs, EngineLoop scheduler) {
    return start(config, runs, scheduler, System.out, config.get(WebSettings.WEB_PORT));
  }

  /**
   * As {@link #start(SluiceConfig, DagRunService, EngineLoop)}, printing to {@code out} and
   * listening on {@code port} (0: a free port, for tests).
   */
  public static WebServer start(
      SluiceConfig config, DagRunService runs, EngineLoop scheduler, PrintStream out, int port) {
    MetadataStore store = runs.store();
    if (!(store instanceof JdbcStore jdbc))
      throw new IllegalArgumentException("the web server needs the JDBC metadata store");
    if (scheduler != null && scheduler.runs() != runs)
      throw new IllegalArgumentException("runs must be the service of this process's scheduler");
    Clock clock = runs.clock();
    // why: the DAG definitions give triggers their timetables and the UI its graphs; with no
    // scheduler in this process, this server re-scans the folder itself
    DagBag ownBag = scheduler == null ? runs.dagBag() : null;
    UserRepository users = new UserRepository(jdbc.dataSource(), clock);
    AdminBootstrap.ensureAdmin(users, config.find(WebSettings.ADMIN_PASSWORD), out);
    Sessions sessions = new Sessions(clock, Duration.ofHours(12));
    Auth auth =
        new Auth(
            users,
            sessions,
            new LoginThrottle(clock),
            new JwtTokens(JwtTokens.localKey(config), clock, Duration.ofDays(1)));
    PipelineStatus pipeline = new PipelineStatus(config, clock);
    SluiceMetrics metrics = new SluiceMetrics(store, runs.dagBag(), scheduler, pipeline);
    DagsApi dags = new DagsApi(store, runs);
    BackfillsApi backfillsApi = new BackfillsApi(new BackfillService(runs));
    AdminApi admin = new AdminApi(store, users, sessions);
    PipelineApi pipelineApi = new PipelineApi(pipeline);
    io.sluice.store.ConnectionStore connectionStore =
        new io.sluice.store.ConnectionStore(
            jdbc.dataSource(), io.sluice.core.secrets.SecretBox.of(config));
    ConnectionsApi connectionsApi = new ConnectionsApi(connectionStore);
    EventLog eventLog = new EventLog(jdbc.dataSource(), clock);
    V2Api v2 =
        new V2Api(
            config,
            store,
            runs,
            scheduler,
            connectionStore,
            new Notes(jdbc.dataSource(), clock),
            eventLog);
    EngineLoop sched = scheduler;

    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = config.get(WebSettings.WEB_HOST);
              cfg.http.maxRequestSize = 1_000_000L;
              cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              cfg.jetty.modifyServletContextHandler(h -> h.setErrorHandler(new JsonErrorHandler()));
              cfg.routes.before(RequestGuard::check);
              cfg.routes.before(auth::authenticate);
              cfg.routes.after(Audit::after);
              cfg.routes.after(eventLog::after);
              cfg.routes.before(ctx -> securityHeaders(ctx));
              cfg.routes.get("/health", ctx -> health(ctx, store, sched));
              cfg.routes.get("/api/v1/health", ctx -> health(ctx, store, sched));
              cfg.routes.post("/login", auth::login);
              cfg.routes.post("/logout", auth::logout);
              cfg.routes.post("/auth/token", auth::issueToken);
              cfg.routes.get(
                  "/api/v1/openapi.json",
                  Auth.require(
                      io.sluice.web.auth.Role.VIEWER,
                      ctx ->
                          ctx.contentType("application/json")
                              .result(UiRoutes.resource("openapi.json"))));
              dags.register(cfg.routes);
              backfillsApi.register(cfg.routes);
              admin.register(cfg.routes);
              connectionsApi.register(cfg.routes);
              v2.register(cfg.routes);
              SchemasApi schemas =
                  new SchemasApi(new SchemaRegistryClient(SchemaRegistrySettings.url(config)));
              KafkaApi kafka =
                  new KafkaApi(
                      new TopicBrowser(
                          pipeline.kafkaBootstrap(),
                          HttpSchemaRegistry.of(SchemaRegistrySettings.url(config)),
                          Duration.ofSeconds(5)),
                      new SchemaRegistryClient(SchemaRegistrySettings.url(config)));
              for (String base : new String[] {"/api/v1", V2Api.SLUICE}) {
                pipelineApi.register(cfg.routes, base);
                schemas.register(cfg.routes, base);
                kafka.register(cfg.routes, base);
              }
              dags.registerSluiceOnly(cfg.routes, V2Api.SLUICE);
              kafka.registerSluiceOnly(cfg.routes, V2Api.SLUICE);
              backfillsApi.registerSluiceOnly(cfg.routes, V2Api.SLUICE);
              admin.registerSluiceOnly(cfg.routes, V2Api.SLUICE);
              cfg.routes.get(
                  V2Api.SLUICE + "/openapi.json",
                  Auth.require(
                      io.sluice.web.auth.Role.VIEWER,
                      ctx ->
                          ctx.contentType("application/json")
                              .result(UiRoutes.resource("sluice-openapi.json"))));
              metrics.register(cfg.routes);
              UiRoutes.register(cfg.routes);
              cfg.routes.exception(
                  ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
              cfg.routes.exception(
                  ServiceException.class,
                  (e, ctx) -> error(ctx, status(e), e.getMessage(), e.param()));
              cfg.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
                  });
              cfg.routes.error(
                  404,
                  ctx -> {
                    if (ctx.result() == null || ctx.result().isEmpty())
                      error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
                  });
              cfg.routes.error(
                  405,
                  ctx -> {
                    if (ctx.result() == null || ctx.result().isEmpty())
                      error(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path());
                  });
            });
    try {
      app.start(port);
    } catch (RuntimeException e) {
      pipeline.close();
      throw new IllegalStateException(
          "cannot start the web server on port " + port + ": " + e.getMessage(), e);
    }
    pipeline.start(Duration.ofSeconds(5), ownBag);
    LOG.info("web server listening on port {}", app.port());
    return new WebServer(app, pipeline, metrics, users);
  }

  private static int status(ServiceException e) {
    return switch (e.reason()) {
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case INVALID -> 400;
    };
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    if (ctx.path().startsWith("/api/")) ctx.header("Cache-Control", "no-store");
    if (ctx.path().startsWith("/api/v1/")) {
      // why: RFC 9745; /api/v1 stays for one release beside Airflow 3's /api/v2
      ctx.header("Deprecation", "@1796515200");
      ctx.header("Link", "</api/v2>; rel=\"successor-version\"");
    }
  }

  /** {@code {"error": ...}} on /api/v1 and the UI, Airflow 3's {@code {"detail": ...}} on v2. */
  private static void error(Context ctx, int status, String message) {
    error(ctx, status, message, null);
  }

  /**
   * An error body: {@code {"detail": ...}} under /api/v2 (Airflow's HTTPExceptionResponse, which
   * allows no other property), {@code {"error": ..., "param": ...}} elsewhere. The field at fault,
   * when there is one, is also named by the {@value #PARAM_HEADER} header on both, so that the UI
   * can show the message beside that field.
   */
  private static void error(Context ctx, int status, String message, String param) {
    ctx.status(status);
    boolean v2 = ctx.path().startsWith(V2Api.BASE) || ctx.path().equals("/auth/token");
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put(v2 ? "detail" : "error", message);
    if (param != null) {
      ctx.header(PARAM_HEADER, param);
      if (!v2) body.put("param", param);
    }
    ctx.contentType("application/json").result(Json.write(body));
  }

  /** The response header naming the request field a 4xx refused. */
  public static final String PARAM_HEADER = "Sluice-Param";

  private static void health(Context ctx, MetadataStore store, EngineLoop scheduler) {
    String db = V2Api.databaseStatus(store);
    ctx.status("healthy".equals(db) ? 200 : 503);
    Json.send(
        ctx,
        Map.of(
            "metadatabase", Map.of("status", db),
            "scheduler", Map.of("status", scheduler == null ? "unknown" : "healthy"),
            "status", db));
  }

  public int port() {
    return app.port();
  }

  public UserRepository users() {
    return users;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    app.jettyServer().server().join();
  }

  @Override
  public void close() {
    app.stop();
    pipeline.close();
    metrics.close();
  }

  /** The generated admin password printer, exposed for commands that bootstrap without serving. */
  public static Optional<String> ensureAdmin(
      MetadataStore store, SluiceConfig config, PrintStream out) {
    if (!(store instanceof JdbcStore jdbc))
      throw new IllegalArgumentException("users need the JDBC metadata store");
    return AdminBootstrap.ensureAdmin(
        new UserRepository(jdbc.dataSource(), Clock.systemUTC()),
        config.find(WebSettings.ADMIN_PASSWORD),
        out);
  }
}
