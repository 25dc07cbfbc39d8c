package io.sluice.core.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON reading and writing that variable and connection files share. */
final class TransferJson {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TransferJson() {}

  /** The file's top-level object; INVALID when it is not one. */
  static ObjectNode object(String json, String what) {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n instanceof ObjectNode o) return o;
    } catch (JsonProcessingException e) {
      throw ServiceException.invalid(what + " file is not valid JSON: " + e.getOriginalMessage());
    }
    throw ServiceException.invalid(what + " file must hold one JSON object");
  }

  static String write(JsonNode n) {
    try {
      return MAPPER.writeValueAsString(n) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON value as stored text: a string as itself, anything else as its JSON. */
  static String text(JsonNode v) {
    return v.isTextual() ? v.asText() : v.toString();
  }
}
