package io.sluice.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ingest.record.RecordFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The readable JSON form of a record ({@code format: json} topics), derived from its Avro schema:
 * one JSON field per Avro field, timestamps as ISO-8601 instants, dates as ISO dates, maps as
 * objects, a null union as the value or {@code null}. Decoding ignores fields the schema does not
 * know (a newer writer), fills missing ones from their defaults, and refuses a {@code
 * schema_version} newer than {@link #MAX_SCHEMA_VERSION}. Thread-safe.
 */
public final class JsonRecords {
  /** The newest {@code schema_version} this build reads. */
  public static final int MAX_SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonRecords() {}

  /**
   * The record in {@code json}, read with {@code schema}; a {@link RecordFormatException} if not.
   */
  public static GenericRecord decode(byte[] json, Schema schema) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new RecordFormatException(
          schema.getName() + ": invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (tree == null || !tree.isObject())
      throw new RecordFormatException(schema.getName() + ": not a JSON object");
    JsonNode version = tree.get("schema_version");
    if (schema.getField("schema_version") != null
        && (version == null || version.asInt(-1) < 1 || version.asInt() > MAX_SCHEMA_VERSION))
      throw new RecordFormatException(
          schema.getName()
              + ": unsupported schema_version "
              + version
              + " (this build reads 1.."
              + MAX_SCHEMA_VERSION
              + ")");
    return (GenericRecord) read(tree, schema, schema.getName());
  }

  /** The JSON bytes of {@code record}. */
  public static byte[] encode(GenericRecord record) {
    try {
      return MAPPER.writeValueAsBytes(write(record, record.getSchema()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object read(JsonNode node, Schema schema, String path) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      if (schema.isNullable()) return null;
      throw new RecordFormatException(path + " is missing");
    }
    try {
      return readValue(node, schema, path);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new RecordFormatException(path + ": " + e.getMessage(), e);
    }
  }

  private static Object readValue(JsonNode node, Schema schema, String path) {
    LogicalType logical = schema.getLogicalType();
    switch (schema.getType()) {
      case UNION:
        for (Schema branch : schema.getTypes())
          if (branch.getType() != Schema.Type.NULL) return read(node, branch, path);
        return null;
      case RECORD:
        if (!node.isObject()) throw new RecordFormatException(path + " is not an object");
        GenericData.Record r = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
          JsonNode child = node.get(f.name());
          r.put(
              f.pos(),
              child == null && f.hasDefaultValue()
                  ? GenericData.get().getDefaultValue(f)
                  : read(child, f.schema(), path + "." + f.name()));
        }
        return r;
      case MAP:
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          map.put(e.getKey(), read(e.getValue(), schema.getValueType(), path + "." + e.getKey()));
        }
        return map;
      case ARRAY:
        List<Object> list = new ArrayList<>();
        for (JsonNode item : node) list.add(read(item, schema.getElementType(), path + "[]"));
        return list;
      case STRING:
        return node.asText();
      case INT:
        if (logical != null && "date".equals(logical.getName()))
          return (int) LocalDate.parse(node.asText()).toEpochDay();
        return number(node, path).intValue();
      case LONG:
        if (logical != null && "timestamp-millis".equals(logical.getName()))
          return IsoInstants.parseMillis(node.asText());
        return number(node, path).longValue();
      case DOUBLE:
        return number(node, path).doubleValue();
      case FLOAT:
        return number(node, path).floatValue();
      case BOOLEAN:
        if (!node.isBoolean()) throw new RecordFormatException(path + " is not a boolean");
        return node.booleanValue();
      case ENUM:
        return new GenericData.EnumSymbol(schema, node.asText());
      default:
        throw new RecordFormatException(path + ": unsupported Avro type " + schema.getType());
    }
  }

  private static Number number(JsonNode node, String path) {
    if (!node.isNumber()) throw new RecordFormatException(path + " is not a number: " + node);
    return node.numberValue();
  }

  /** {@code value}, in Avro's generic representation of {@code schema}, as a JSON tree. */
  static JsonNode write(Object value, Schema schema) {
    if (value == null) return NODES.nullNode();
    LogicalType logical = schema.getLogicalType();
    switch (schema.getType()) {
      case UNION:
        return write(value, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)));
      case RECORD:
        ObjectNode o = NODES.objectNode();
        GenericRecord r = (GenericRecord) value;
        for (Schema.Field f : schema.getFields())
          o.set(f.name(), write(r.get(f.pos()), f.schema()));
        return o;
      case MAP:
        ObjectNode m = NODES.objectNode();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet())
          m.set(e.getKey().toString(), write(e.getValue(), schema.getValueType()));
        return m;
      case ARRAY:
        ArrayNode a = NODES.arrayNode();
        for (Object item : (Iterable<?>) value) a.add(write(item, schema.getElementType()));
        return a;
      case INT:
        if (logical != null && "date".equals(logical.getName()))
          return NODES.textNode(LocalDate.ofEpochDay(((Number) value).intValue()).toString());
        return NODES.numberNode(((Number) value).intValue());
      case LONG:
        if (logical != null && "timestamp-millis".equals(logical.getName()))
          return NODES.textNode(IsoInstants.format(((Number) value).longValue()));
        return NODES.numberNode(((Number) value).longValue());
      case DOUBLE:
        return NODES.numberNode(((Number) value).doubleValue());
      case FLOAT:
        return NODES.numberNode(((Number) value).floatValue());
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      default:
        return NODES.textNode(value.toString());
    }
  }
}
