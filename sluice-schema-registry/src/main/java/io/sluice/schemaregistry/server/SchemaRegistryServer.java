package io.sluice.schemaregistry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.schemaregistry.CompatibilityLevel;
import io.sluice.schemaregistry.server.SchemaRegistry.SchemaInput;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry's HTTP server: the Confluent Schema Registry REST API (subjects, versions,
 * ids, types, compatibility, config, mode, soft and hard deletes) over a {@link SchemaRegistry},
 * answering {@code application/vnd.schemaregistry.v1+json} and Confluent's error bodies.
 *
 * <pre>{@code
 * try (SchemaRegistryServer server =
 *     SchemaRegistryServer.start("127.0.0.1:9092", "_schemas", new InetSocketAddress("127.0.0.1", 8085))) {
 *   System.out.println(server.url()); // http://127.0.0.1:8085
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {
  /** The content type Confluent's registry answers with. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Javalin app;
  private final SchemaRegistry registry;
  private final String host;

  private SchemaRegistryServer(Javalin app, SchemaRegistry registry, String host) {
    this.app = app;
    this.registry = registry;
    this.host = host;
  }

  /**
   * Serves the registry kept in {@code topic} on the Kafka cluster at {@code bootstrap} (the topic
   * is created when missing).
   */
  public static SchemaRegistryServer start(String bootstrap, String topic, InetSocketAddress bind) {
    return start(KafkaSchemaLog.open(bootstrap, topic), bind);
  }

  /**
   * Serves {@code log} on {@code bind} (port 0: a free port); closing the server closes the log.
   *
   * @throws IllegalStateException when the address cannot be bound
   */
  public static SchemaRegistryServer start(SchemaLog log, InetSocketAddress bind) {
    SchemaRegistry registry = new SchemaRegistry(log);
    Javalin app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.jetty.host = bind.getHostString();
              cfg.http.maxRequestSize = 4_000_000L;
              new Routes(registry).register(cfg.routes);
              cfg.routes.exception(
                  RegistryException.class,
                  (e, ctx) -> error(ctx, e.httpStatus(), e.errorCode(), e.getMessage()));
              cfg.routes.exception(
                  JsonProcessingException.class,
                  (e, ctx) ->
                      error(ctx, 400, 400, "Unrecognized request body: " + e.getOriginalMessage()));
              cfg.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                    error(ctx, 500, 500, "Internal server error: " + e);
                  });
              cfg.routes.error(
                  404,
                  ctx -> {
                    if (ctx.result() == null || ctx.result().isEmpty())
                      error(ctx, 404, 404, "HTTP 404 Not Found");
                  });
              cfg.routes.error(
                  405,
                  ctx -> {
                    if (ctx.result() == null || ctx.result().isEmpty())
                      error(ctx, 405, 405, "HTTP 405 Method Not Allowed");
                  });
            });
    try {
      app.start(bind.getPort());
    } catch (RuntimeException e) {
      registry.close();
      throw new IllegalStateException(
          "cannot start the schema registry on " + bind + ": " + e.getMessage(), e);
    }
    String host = "0.0.0.0".equals(bind.getHostString()) ? "127.0.0.1" : bind.getHostString();
    return new SchemaRegistryServer(app, registry, host);
  }

  public int port() {
    return app.port();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public String url() {
    return "http://" + host + ":" + port();
  }

  @Override
  public void close() {
    app.stop();
    registry.close();
  }

  static void error(Context ctx, int status, int code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", code);
    body.put("message", message);
    ctx.status(status);
    send(ctx, body);
  }

  static void send(Context ctx, Object body) {
    try {
      ctx.contentType(CONTENT_TYPE).result(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The REST routes, each a thin translation of one {@link SchemaRegistry} call. */
  private record Routes(SchemaRegistry registry) {
    void register(RoutesConfig r) {
      r.get("/", ctx -> send(ctx, Map.of()));
      r.get("/subjects", ctx -> send(ctx, registry.subjects(flag(ctx, "deleted"))));
      r.get("/schemas/types", ctx -> send(ctx, List.of("AVRO")));
      r.get("/schemas/ids/{id}", ctx -> send(ctx, Map.of("schema", registry.schemaById(id(ctx)))));
      r.get(
          "/schemas/ids/{id}/schema",
          ctx -> ctx.contentType(CONTENT_TYPE).result(registry.schemaById(id(ctx))));
      r.get("/schemas/ids/{id}/versions", ctx -> send(ctx, registry.usesOf(id(ctx))));
      r.get(
          "/schemas/ids/{id}/subjects",
          ctx ->
              send(
                  ctx,
                  registry.usesOf(id(ctx)).stream()
                      .map(SchemaRegistry.SubjectVersion::subject)
                      .distinct()
                      .toList()));
      r.get(
          "/subjects/{s}/versions",
          ctx -> send(ctx, registry.versions(subject(ctx), flag(ctx, "deleted"))));
      r.post(
          "/subjects/{s}/versions",
          ctx -> send(ctx, Map.of("id", registry.register(subject(ctx), input(ctx)))));
      r.get("/subjects/{s}/versions/{v}", ctx -> send(ctx, view(version(ctx))));
      r.get(
          "/subjects/{s}/versions/{v}/schema",
          ctx -> ctx.contentType(CONTENT_TYPE).result(version(ctx).schema()));
      r.delete(
          "/subjects/{s}/versions/{v}",
          ctx ->
              send(
                  ctx,
                  registry.deleteVersion(
                      subject(ctx), ctx.pathParam("v"), flag(ctx, "permanent"))));
      r.post(
          "/subjects/{s}",
          ctx -> send(ctx, view(registry.lookup(subject(ctx), input(ctx), flag(ctx, "deleted")))));
      r.delete(
          "/subjects/{s}",
          ctx -> send(ctx, registry.deleteSubject(subject(ctx), flag(ctx, "permanent"))));
      r.post(
          "/compatibility/subjects/{s}/versions/{v}",
          ctx -> compatibility(ctx, ctx.pathParam("v")));
      r.post("/compatibility/subjects/{s}/versions", ctx -> compatibility(ctx, null));
      r.get("/config", ctx -> send(ctx, level(registry.level(null, true))));
      r.put(
          "/config",
          ctx -> send(ctx, Map.of("compatibility", registry.setLevel(null, levelOf(ctx)))));
      r.delete("/config", ctx -> send(ctx, level(registry.deleteLevel(null))));
      r.get(
          "/config/{s}",
          ctx -> send(ctx, level(registry.level(subject(ctx), flag(ctx, "defaultToGlobal")))));
      r.put(
          "/config/{s}",
          ctx -> send(ctx, Map.of("compatibility", registry.setLevel(subject(ctx), levelOf(ctx)))));
      r.delete("/config/{s}", ctx -> send(ctx, level(registry.deleteLevel(subject(ctx)))));
      r.get("/mode", ctx -> send(ctx, Map.of("mode", registry.mode())));
      r.put(
          "/mode",
          ctx -> send(ctx, Map.of("mode", registry.setMode(body(ctx).path("mode").asText(null)))));
    }

    private void compatibility(Context ctx, String version) throws JsonProcessingException {
      List<String> messages = registry.compatibility(subject(ctx), version, input(ctx));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("is_compatible", messages.isEmpty());
      if (flag(ctx, "verbose")) body.put("messages", messages);
      send(ctx, body);
    }

    private SchemaVersion version(Context ctx) {
      return registry.version(subject(ctx), ctx.pathParam("v"), flag(ctx, "deleted"));
    }
  }

  private static Map<String, Object> view(SchemaVersion v) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", v.subject());
    body.put("version", v.version());
    body.put("id", v.id());
    body.put("schema", v.schema());
    return body;
  }

  private static Map<String, Object> level(CompatibilityLevel level) {
    return Map.of("compatibilityLevel", level.name());
  }

  private static String subject(Context ctx) {
    return ctx.pathParam("s");
  }

  private static boolean flag(Context ctx, String name) {
    return Boolean.parseBoolean(ctx.queryParam(name));
  }

  private static int id(Context ctx) {
    try {
      return Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw RegistryException.schemaNotFound("id " + ctx.pathParam("id"));
    }
  }

  private static JsonNode body(Context ctx) throws JsonProcessingException {
    String text = ctx.body();
    if (text.isBlank()) return JSON.createObjectNode();
    JsonNode node = JSON.readTree(text);
    if (!node.isObject())
      throw RegistryException.invalidSchema("the request body is not a JSON object");
    return node;
  }

  private static SchemaInput input(Context ctx) throws JsonProcessingException {
    JsonNode b = body(ctx);
    return new SchemaInput(
        b.path("schema").isTextual() ? b.path("schema").asText() : null,
        b.path("schemaType").asText(null),
        b.path("references").size());
  }

  private static String levelOf(Context ctx) throws JsonProcessingException {
    return body(ctx).path("compatibility").asText(null);
  }
}
