package io.sluice.schemaregistry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemaregistry.CompatibilityLevel;
import io.sluice.schemaregistry.server.SchemaLog.Entry;

/**
 * The records of {@code _schemas}, in Confluent's layout: a JSON key naming the record's type
 * ({@code keytype}) and its format version ({@code magic}), and a JSON value (null: deleted).
 *
 * <ul>
 *   <li>{@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}} → {@code
 *       {"subject":s,"version":v,"id":n,"schema":"...","deleted":false}}
 *   <li>{@code {"keytype":"CONFIG","subject":s|null,"magic":0}} → {@code
 *       {"compatibilityLevel":"FULL"}}
 *   <li>{@code {"keytype":"MODE","subject":null,"magic":0}} → {@code {"mode":"READONLY"}}
 * </ul>
 */
final class LogRecords {
  static final ObjectMapper JSON = new ObjectMapper();

  private LogRecords() {}

  static Entry schema(SchemaVersion s) {
    ObjectNode key = key("SCHEMA", s.subject());
    key.put("version", s.version());
    key.put("magic", 1);
    ObjectNode value = JSON.createObjectNode();
    value.put("subject", s.subject());
    value.put("version", s.version());
    value.put("id", s.id());
    value.put("schema", s.schema());
    value.put("deleted", s.deleted());
    return new Entry(write(key), write(value));
  }

  static Entry schemaTombstone(SchemaVersion s) {
    return new Entry(schema(s).key(), null);
  }

  static Entry config(String subject, CompatibilityLevel level) {
    ObjectNode key = key("CONFIG", subject);
    key.put("magic", 0);
    if (level == null) return new Entry(write(key), null);
    return new Entry(
        write(key), write(JSON.createObjectNode().put("compatibilityLevel", level.name())));
  }

  static Entry mode(String mode) {
    ObjectNode key = key("MODE", null);
    key.put("magic", 0);
    return new Entry(write(key), write(JSON.createObjectNode().put("mode", mode)));
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  private static ObjectNode key(String type, String subject) {
    ObjectNode key = JSON.createObjectNode();
    key.put("keytype", type);
    if (subject == null) key.putNull("subject");
    else key.put("subject", subject);
    return key;
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
