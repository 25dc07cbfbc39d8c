package io.sluice.api;

import java.util.Map;
import java.util.Optional;

/**
 * A connection to an external system, as Airflow's Connection: looked up by id from a task through
 * {@link TaskContext#connection(String)}.
 */
public record Connection(
    String connId,
    String type,
    String host,
    Integer port,
    String login,
    String password,
    String schema,
    Map<String, String> extra) {

  public Connection {
    extra = extra == null ? Map.of() : Map.copyOf(extra);
  }

  public Optional<String> extra(String key) {
    return Optional.ofNullable(extra.get(key));
  }

  @Override
  public String toString() {
    return "Connection["
        + connId
        + " "
        + type
        + "://"
        + host
        + (port == null ? "" : ":" + port)
        + "]";
  }
}
