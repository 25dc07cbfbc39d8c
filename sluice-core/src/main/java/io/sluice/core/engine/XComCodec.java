package io.sluice.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Serialises XCom values as a versioned JSON envelope: {@code
 * {"v":1,"type":"<class>","value":...}}. The type lets a TaskFlow task receive a record or value
 * class back as it was returned.
 */
public final class XComCodec {
  public static final int VERSION = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private XComCodec() {}

  public static ObjectMapper mapper() {
    return JSON;
  }

  public static String encode(Object value) {
    ObjectNode env = JSON.createObjectNode();
    env.put("v", VERSION);
    env.put("type", value == null ? "null" : value.getClass().getName());
    env.set("value", JSON.valueToTree(value));
    try {
      return JSON.writeValueAsString(env);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "XCom value of type "
              + value.getClass().getName()
              + " cannot be serialised as JSON: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Decodes a stored value as {@code type}; with {@code Object.class}, as the type it was stored
   * with when that type is a record, an enum or a JDK value type, else as plain JSON values (maps,
   * lists, strings, numbers, booleans).
   */
  public static <T> T decode(String stored, Class<T> type) {
    try {
      JsonNode env = JSON.readTree(stored);
      int v = env.path("v").asInt(-1);
      if (v != VERSION) throw new IllegalArgumentException("unsupported XCom format version " + v);
      JsonNode value = env.get("value");
      if (value == null || value.isNull()) return null;
      Class<?> target = type;
      if (type == Object.class) target = storedType(env.path("type").asText());
      return type.cast(JSON.treeToValue(value, target));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "cannot read XCom value as " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  private static Class<?> storedType(String name) {
    try {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      Class<?> c = Class.forName(name, false, cl == null ? XComCodec.class.getClassLoader() : cl);
      // why: only value-like types are instantiated from a name read from the database, so that a
      // forged row cannot make Jackson construct arbitrary classes.
      if (c.isRecord()
          || c.isEnum()
          || c == String.class
          || Number.class.isAssignableFrom(c) && c.getName().startsWith("java.")
          || c == Boolean.class
          || c.getName().startsWith("java.time.")) return c;
    } catch (ClassNotFoundException | LinkageError e) {
      // not on this class path: fall back to plain JSON values
    }
    return Object.class;
  }
}
