package io.sluice.web.kafka;

import static io.sluice.web.auth.Auth.require;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.core.secrets.Masking;
import io.sluice.ingest.kafka.ConsumerGroups;
import io.sluice.ingest.kafka.TopicBrowser;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.records.registry.SchemaRegistryException;
import io.sluice.schemaregistry.client.SchemaRegistryClient;
import io.sluice.schemaregistry.client.SchemaRegistryClientException;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.BodySchema;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Auth;
import io.sluice.web.auth.Role;
import io.sluice.web.pipeline.PersonalFields;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The Kafka page's endpoints. For every role: topics with their partitions, offsets, configuration
 * and value subject in the schema registry; a page of a partition's records from an offset or a
 * time, values decoded; consumer groups with each partition's lag. Reads never join a group nor
 * commit ({@link TopicBrowser}). Keys, headers, values and configuration go through {@link
 * Masking}, so a secret inside a record is shown as {@code ***}; a viewer also sees personal fields
 * masked ({@link PersonalFields}), as in the dead letters. For an op, under {@code /api/v2/sluice}
 * only: resetting an inactive consumer group's offsets with the CLI's {@link ConsumerGroups#reset},
 * answered 409 while the group has consumers; and writing a test record to a topic with the CLI's
 * encoder and producer ({@link TopicBrowser#produce}), its JSON value as Avro when the topic's
 * value subject has a schema (400 with Avro's reason when it does not match), else as text.
 */
public final class KafkaApi {
  private static final int MAX_LIMIT = 500;

  private static final BodySchema RESET =
      BodySchema.of(
          BodySchema.string("to", 20)
              .oneOf("earliest", "latest", "datetime", "shift_by")
              .required(),
          BodySchema.dateTime("datetime"),
          BodySchema.integer("shift_by", Long.MIN_VALUE, Long.MAX_VALUE),
          BodySchema.strings("topics", 100, 249),
          BodySchema.bool("dry_run"));

  private static final BodySchema PRODUCE =
      BodySchema.of(
          BodySchema.string("key", 10_000),
          BodySchema.object("headers", 100_000),
          BodySchema.string("value", 900_000).required());

  private final TopicBrowser browser;
  private final SchemaRegistryClient registry;

  public KafkaApi(TopicBrowser browser, SchemaRegistryClient registry) {
    this.browser = browser;
    this.registry = registry;
  }

  /** Registers the routes under {@code base}: {@code /api/v1} and {@code /api/v2/sluice}. */
  public void register(RoutesConfig r, String base) {
    r.get(base + "/kafka/topics", require(Role.VIEWER, ctx -> send(ctx, this::topics)));
    r.get(
        base + "/kafka/topics/{topic}",
        require(Role.VIEWER, ctx -> send(ctx, () -> topic(ctx.pathParam("topic")))));
    r.get(
        base + "/kafka/topics/{topic}/records",
        require(Role.VIEWER, ctx -> send(ctx, () -> records(ctx))));
    r.get(base + "/kafka/groups", require(Role.VIEWER, ctx -> send(ctx, this::groups)));
    r.get(
        base + "/kafka/groups/{group}",
        require(Role.VIEWER, ctx -> send(ctx, () -> group(ctx.pathParam("group")))));
  }

  /** Registers the writes, which only {@code /api/v2/sluice} offers. */
  public void registerSluiceOnly(RoutesConfig r, String base) {
    r.post(
        base + "/kafka/groups/{group}/reset-offsets",
        require(Role.OP, ctx -> send(ctx, () -> reset(ctx.pathParam("group"), RESET.read(ctx)))));
    r.post(
        base + "/kafka/topics/{topic}/records",
        require(
            Role.OP,
            ctx -> {
              send(ctx, () -> produce(ctx.pathParam("topic"), PRODUCE.read(ctx)));
              ctx.status(201);
            }));
  }

  private static void send(Context ctx, Supplier<Object> body) {
    try {
      Json.send(ctx, body.get());
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw m.startsWith("no ") ? ApiException.notFound(m) : ApiException.badRequest(m);
    } catch (ConsumerGroups.ActiveGroupException e) {
      throw new ApiException(409, e.getMessage());
    } catch (SchemaRegistryException e) {
      throw new ApiException(502, "schema registry: " + e.getMessage());
    } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
      throw new ApiException(503, "Kafka is unavailable: " + e.getMessage());
    }
  }

  private Object topics() {
    Set<String> subjects = subjects();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (TopicBrowser.Topic t : browser.topics()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", t.name());
      row.put("partitions", t.partitions());
      row.put("replication_factor", t.replicationFactor());
      row.put("records", t.records());
      String subject = SchemaRegistry.valueSubject(t.name());
      row.put("subject", subjects.contains(subject) ? subject : null);
      rows.add(row);
    }
    return Map.of("topics", rows, "total_entries", rows.size());
  }

  private Object topic(String name) {
    TopicBrowser.Detail d = browser.topic(name);
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (var p : d.partitions()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("partition", p.partition());
      row.put("leader", p.leader());
      row.put("replicas", p.replicas());
      row.put("in_sync_replicas", p.isr());
      row.put("begin_offset", p.begin());
      row.put("end_offset", p.end());
      partitions.add(row);
    }
    Map<String, String> config = new LinkedHashMap<>();
    d.config().forEach((k, v) -> config.put(k, Masking.value(k, v)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", d.name());
    body.put("partitions", partitions);
    body.put("config", config);
    body.put("schema", latestSchema(SchemaRegistry.valueSubject(name)));
    return body;
  }

  private Object records(Context ctx) {
    String topic = ctx.pathParam("topic");
    int partition = (int) number(ctx, "partition", 0, Integer.MAX_VALUE, 0L);
    Long offset =
        ctx.queryParam("offset") == null ? null : number(ctx, "offset", 0, Long.MAX_VALUE, 0L);
    Instant time = time(ctx.queryParam("timestamp"));
    int limit = (int) number(ctx, "limit", 1, MAX_LIMIT, 50L);
    String key = ctx.queryParam("key");
    TopicBrowser.Page page =
        browser.records(
            topic, partition, offset, time, key == null || key.isEmpty() ? null : key, limit);
    boolean viewer = Auth.principal(ctx).role() == Role.VIEWER;
    List<Map<String, Object>> records = new ArrayList<>();
    for (TopicBrowser.Record r : page.records()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("partition", r.partition());
      row.put("offset", r.offset());
      row.put("timestamp", r.timestamp() == null ? null : r.timestamp().toString());
      row.put("key", masked(r.key(), viewer));
      Map<String, String> headers = new LinkedHashMap<>();
      r.headers().forEach((k, v) -> headers.put(k, Masking.value(k, v)));
      row.put("headers", headers);
      row.put("value", masked(r.value(), viewer));
      row.put("format", r.format());
      row.put("schema_id", r.schemaId());
      row.put("error", r.error());
      records.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", page.topic());
    body.put("partition", page.partition());
    body.put("records", records);
    body.put("next_offset", page.nextOffset());
    body.put("end_offset", page.end());
    return body;
  }

  private Object groups() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ConsumerGroups.Group g : browser.withGroups(ConsumerGroups::list))
      rows.add(Map.of("group", g.groupId(), "state", g.state()));
    return Map.of("groups", rows, "total_entries", rows.size());
  }

  private Object group(String id) {
    ConsumerGroups.Description d = browser.withGroups(g -> g.describe(id));
    List<Map<String, Object>> partitions = new ArrayList<>();
    for (var p : d.lags()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("topic", p.partition().topic());
      row.put("partition", p.partition().partition());
      row.put("current_offset", p.committed());
      row.put("log_end_offset", p.end());
      row.put("lag", p.lag());
      row.put("consumer_id", p.consumerId());
      partitions.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("group", d.groupId());
    body.put("state", d.state());
    body.put("members", d.members());
    body.put("partitions", partitions);
    return body;
  }

  /**
   * Moves the group's offsets (or, with {@code dry_run}, only says where they would go) and answers
   * the new offset of each partition with the group as it now stands.
   */
  private Object reset(String id, BodySchema.Body body) {
    ConsumerGroups.Target target =
        switch (body.string("to")) {
          case "earliest" -> new ConsumerGroups.ToEarliest();
          case "latest" -> new ConsumerGroups.ToLatest();
          case "datetime" ->
              new ConsumerGroups.ToDatetime(required(body, "datetime").instant("datetime"));
          default -> new ConsumerGroups.ShiftBy(required(body, "shift_by").integer("shift_by"));
        };
    List<String> topics = body.has("topics") ? body.strings("topics") : List.of();
    boolean dryRun = body.bool("dry_run", false);
    var plan = browser.withGroups(g -> g.reset(id, topics, target, !dryRun));
    List<Map<String, Object>> offsets = new ArrayList<>();
    plan.forEach(
        (tp, offset) -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("topic", tp.topic());
          row.put("partition", tp.partition());
          row.put("new_offset", offset);
          offsets.add(row);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("dry_run", dryRun);
    out.put("offsets", offsets);
    out.put("group", group(id));
    return out;
  }

  /**
   * Writes one record through {@link TopicBrowser#produce} (the CLI's encoder and producer) and
   * answers where it landed and how its value was written.
   */
  private Object produce(String topic, BodySchema.Body body) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (body.has("headers"))
      body.node("headers")
          .fields()
          .forEachRemaining(
              h -> {
                if (!h.getValue().isTextual())
                  throw ApiException.badRequest("header '" + h.getKey() + "' must be a string");
                headers.put(h.getKey(), h.getValue().asText());
              });
    String key = body.string("key");
    TopicBrowser.Produced p;
    try {
      p = browser.produce(topic, key, headers, body.string("value"));
    } catch (IllegalArgumentException e) {
      String m = String.valueOf(e.getMessage());
      throw m.startsWith("no topic")
          ? ApiException.notFound(m)
          : ApiException.badRequest("value " + m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("topic", p.sent().topic());
    out.put("partition", p.sent().partition());
    out.put("offset", p.sent().offset());
    out.put("timestamp", p.sent().timestamp() == null ? null : p.sent().timestamp().toString());
    out.put("format", p.format());
    out.put("schema_id", p.schemaId());
    return out;
  }

  private static BodySchema.Body required(BodySchema.Body body, String field) {
    if (!body.has(field))
      throw ApiException.badRequest(
          "'" + field + "' is required when 'to' is " + body.string("to"));
    return body;
  }

  /** Secrets masked for everyone; personal fields too for a viewer, as dead letters are. */
  private static String masked(String text, boolean viewer) {
    String m = Masking.inText(text);
    return viewer ? PersonalFields.mask(m) : m;
  }

  /** The registry's subjects; none when it cannot be reached (the page still shows the topics). */
  private Set<String> subjects() {
    try {
      return new TreeSet<>(registry.subjects());
    } catch (SchemaRegistryClientException e) {
      return Set.of();
    }
  }

  private Map<String, Object> latestSchema(String subject) {
    try {
      var v = registry.version(subject, "latest");
      return Map.of("subject", subject, "version", v.version(), "id", v.id());
    } catch (SchemaRegistryClientException e) {
      return null;
    }
  }

  private static long number(Context ctx, String name, long min, long max, long dflt) {
    String s = ctx.queryParam(name);
    if (s == null || s.isBlank()) return dflt;
    try {
      long v = Long.parseLong(s.trim());
      if (v < min || v > max)
        throw ApiException.badRequest("'" + name + "' must be between " + min + " and " + max);
      return v;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be an integer");
    }
  }

  private static Instant time(String s) {
    if (s == null || s.isBlank()) return null;
    try {
      return Instant.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest(
          "'timestamp' must be an ISO-8601 instant such as 2024-03-01T00:00:00Z");
    }
  }
}
