package io.sluice.web.pipeline;

import static io.sluice.web.auth.Auth.require;

import io.javalin.config.RoutesConfig;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.BodySchema;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Role;
import java.util.Map;

/** The pipeline endpoints: topics, stream jobs, sinks, and the dead-letter queue. */
public final class PipelineApi {
  private static final BodySchema REPLAY =
      BodySchema.of(
          BodySchema.integer("partition", 0, Integer.MAX_VALUE).required(),
          BodySchema.integer("offset", 0, Long.MAX_VALUE),
          BodySchema.integer("from_offset", 0, Long.MAX_VALUE),
          BodySchema.integer("to_offset", 0, Long.MAX_VALUE));

  private final PipelineStatus status;

  public PipelineApi(PipelineStatus status) {
    this.status = status;
  }

  /** Registers the routes under {@code base}: {@code /api/v1} and {@code /api/v2/sluice}. */
  public void register(RoutesConfig r, String base) {
    r.get(base + "/pipeline", require(Role.VIEWER, ctx -> Json.send(ctx, status.snapshot())));
    r.get(base + "/pipeline/topics", require(Role.VIEWER, ctx -> part(ctx, "topics")));
    r.get(base + "/pipeline/streams", require(Role.VIEWER, ctx -> part(ctx, "streams")));
    r.get(base + "/pipeline/sinks", require(Role.VIEWER, ctx -> part(ctx, "sinks")));
    r.get(
        base + "/pipeline/dlq",
        require(
            Role.VIEWER,
            ctx -> {
              int limit = (int) Math.min(500, parse(ctx.queryParam("limit"), 50, "limit"));
              var records = dlq().browse(Math.min(500, Math.max(1, limit)));
              if (io.sluice.web.auth.Auth.principal(ctx).role() == Role.VIEWER)
                records = records.stream().map(PipelineApi::maskPersonal).toList();
              Json.send(
                  ctx,
                  Map.of(
                      "topic", status.dlqTopic(),
                      "records", records,
                      "total_entries", records.size()));
            }));
    r.post(
        base + "/pipeline/dlq/replay",
        require(
            Role.OP,
            ctx -> {
              var body = REPLAY.read(ctx);
              int partition = body.integer("partition").intValue();
              Long offset =
                  body.has("from_offset") ? body.integer("from_offset") : body.integer("offset");
              if (offset == null) throw ApiException.badRequest("'offset' is required");
              long from = offset;
              long to = body.has("to_offset") ? body.integer("to_offset") : from;
              try {
                int n = dlq().replay(partition, from, to);
                Json.send(ctx, Map.of("replayed", n));
              } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(e.getMessage());
              } catch (org.apache.kafka.common.KafkaException e) {
                throw new ApiException(503, "Kafka is unavailable: " + e.getMessage());
              }
            }));
  }

  private static Map<String, Object> maskPersonal(Map<String, Object> record) {
    Map<String, Object> m = new java.util.LinkedHashMap<>(record);
    m.put("value", PersonalFields.mask((String) m.get("value")));
    m.put("key", PersonalFields.mask((String) m.get("key")));
    return m;
  }

  private DeadLetters dlq() {
    return new DeadLetters(status.kafkaBootstrap(), status.dlqTopic());
  }

  private void part(io.javalin.http.Context ctx, String key) {
    Object v = status.snapshot().get(key);
    Json.send(ctx, Map.of(key, v == null ? java.util.List.of() : v));
  }

  private static long parse(String s, long dflt, String name) {
    if (s == null) return dflt;
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be an integer");
    }
  }
}
