package io.sluice.web.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;

/** The one JSON mapper of the web module: ISO-8601 instants, nulls kept (as Airflow's API). */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          // why: '{"a":1} garbage' and '{"a":1,"a":2}' are refused, never half-read
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid JSON: " + e.getOriginalMessage());
    }
  }

  /** The request body as a JSON object; an empty body is an empty object. */
  public static ObjectNode body(Context ctx) {
    String b = ctx.body();
    if (b == null || b.isBlank()) return MAPPER.createObjectNode();
    JsonNode n = parse(b);
    if (!(n instanceof ObjectNode o))
      throw ApiException.badRequest("the body must be a JSON object");
    return o;
  }

  public static void send(Context ctx, Object value) {
    ctx.contentType("application/json").result(write(value));
  }

  /** A text field of a body, or null. */
  public static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  public static String required(JsonNode body, String field) {
    String v = text(body, field);
    if (v == null || v.isBlank()) throw ApiException.badRequest("'" + field + "' is required");
    return v;
  }
}
