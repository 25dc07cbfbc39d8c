package io.sluice.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.api.Connection;
import io.sluice.core.engine.ConnectionResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored connections in and out of files, in the JSON of Airflow's {@code connections export} and
 * {@code connections import}: {@code {"conn_id": {"conn_type", "description", "host", "login",
 * "password", "schema", "port", "extra"}}}, where {@code extra} is a JSON object as text. Import
 * also takes {@code extra} as an object, and a connection given as a URI string. An export holds
 * the real secrets: it is meant to move connections to another metadata database.
 */
public final class ConnectionService {
  private final ConnectionRepository repository;

  public ConnectionService(ConnectionRepository repository) {
    this.repository = repository;
  }

  /** Every stored connection, secrets included, as Airflow's export file. */
  public String exportJson() {
    ObjectNode out = TransferJson.MAPPER.createObjectNode();
    for (Connection c : repository.list()) {
      ObjectNode o = out.putObject(c.connId());
      o.put("conn_type", c.type());
      o.put("description", repository.description(c.connId()).orElse(null));
      o.put("login", c.login());
      o.put("password", c.password());
      o.put("host", c.host());
      o.put("port", c.port());
      o.put("schema", c.schema());
      o.put(
          "extra",
          c.extra().isEmpty()
              ? null
              : TransferJson.write(TransferJson.MAPPER.valueToTree(c.extra())).strip());
    }
    return TransferJson.write(out);
  }

  /** How many connections are stored. */
  public int count() {
    return repository.list().size();
  }

  /**
   * Stores the connections of an export file; an existing id is replaced only with {@code
   * overwrite}, else skipped.
   *
   * @throws ServiceException INVALID when the file or one of its connections is malformed (then
   *     nothing is written)
   */
  public ImportResult importJson(String json, boolean overwrite) {
    ObjectNode in = TransferJson.object(json, "connections");
    Map<Connection, String> parsed = new LinkedHashMap<>();
    in.fields()
        .forEachRemaining(
            f -> parsed.put(connection(f.getKey(), f.getValue()), description(f.getValue())));
    List<String> imported = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    parsed.forEach(
        (c, description) -> {
          if (!overwrite && repository.find(c.connId()).isPresent()) {
            skipped.add(c.connId());
            return;
          }
          repository.put(c, description);
          imported.add(c.connId());
        });
    return new ImportResult(imported, skipped, in.size());
  }

  private static String description(JsonNode v) {
    return v.isObject() && v.hasNonNull("description") ? v.get("description").asText() : null;
  }

  private static Connection connection(String id, JsonNode v) {
    if (!id.matches("[A-Za-z0-9_.\\-]{1,200}"))
      throw ServiceException.invalid(
          "connection id '" + id + "': use 1 to 200 letters, digits or _ . -");
    if (v.isTextual()) {
      try {
        return ConnectionResolver.parseUri(id, v.asText());
      } catch (IllegalArgumentException e) {
        throw ServiceException.invalid("connection '" + id + "' is not a valid URI");
      }
    }
    if (!v.isObject())
      throw ServiceException.invalid("connection '" + id + "' must be an object or a URI");
    String type = str(v, "conn_type");
    if (type == null) throw ServiceException.invalid("connection '" + id + "' has no conn_type");
    JsonNode port = v.get("port");
    if (port != null && !port.isNull() && !port.canConvertToInt() && !port.asText().matches("\\d+"))
      throw ServiceException.invalid("connection '" + id + "' has a port that is not a number");
    return new Connection(
        id,
        type,
        str(v, "host"),
        port == null || port.isNull() ? null : Integer.valueOf(port.asText()),
        str(v, "login"),
        str(v, "password"),
        str(v, "schema"),
        extra(id, v.get("extra")));
  }

  private static Map<String, String> extra(String id, JsonNode extra) {
    if (extra == null || extra.isNull() || (extra.isTextual() && extra.asText().isBlank()))
      return Map.of();
    JsonNode obj = extra;
    if (extra.isTextual()) {
      try {
        obj = TransferJson.MAPPER.readTree(extra.asText());
      } catch (Exception e) {
        obj = null;
      }
    }
    if (obj == null || !obj.isObject())
      throw ServiceException.invalid("the extra of connection '" + id + "' is not a JSON object");
    Map<String, String> out = new LinkedHashMap<>();
    obj.fields().forEachRemaining(f -> out.put(f.getKey(), TransferJson.text(f.getValue())));
    return out;
  }

  private static String str(JsonNode v, String field) {
    JsonNode n = v.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }
}
