package io.sluice.ingest.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/** Reading of JSON answers shared by the source parsers: syntax errors and error bodies. */
public final class JsonBodies {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonBodies() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses a whole answer.
   *
   * @throws TransientSourceException when it is not valid JSON (truncated, malformed): retried
   */
  public static JsonNode parse(String source, byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode())
        throw new TransientSourceException(source + ": empty answer", null, body, null);
      return node;
    } catch (JsonProcessingException e) {
      throw new TransientSourceException(
          source + ": answer is not valid JSON: " + e.getOriginalMessage(), null, body, e);
    } catch (IOException e) {
      throw new TransientSourceException(
          source + ": cannot read answer: " + e.getMessage(), null, body, e);
    }
  }

  /**
   * The reason of an error body, {@code {"error":"..."}} or {@code {"error":true,"reason":"..."}}.
   */
  public static Optional<String> errorReason(JsonNode node) {
    if (node == null || !node.isObject() || !node.has("error")) return Optional.empty();
    JsonNode error = node.get("error");
    if (error.isBoolean() && !error.asBoolean()) return Optional.empty();
    if (node.hasNonNull("reason")) return Optional.of(node.get("reason").asText().strip());
    if (error.isTextual()) return Optional.of(error.asText().strip());
    if (node.hasNonNull("message")) return Optional.of(node.get("message").asText().strip());
    return Optional.of(error.toString());
  }

  /** The error reason of a raw body, if it is a JSON error body. */
  public static Optional<String> errorReason(byte[] body) {
    try {
      return errorReason(MAPPER.readTree(body));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
