package io.sluice.core.engine;

import io.sluice.api.Connection;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds connections by id for tasks and templates. Called on executor threads; must be thread-safe.
 * The default reads {@code SLUICE_CONN_<ID>} environment variables holding URIs, as Airflow reads
 * {@code AIRFLOW_CONN_<ID>}.
 */
@FunctionalInterface
public interface ConnectionResolver {
  Optional<Connection> find(String connId);

  /** Connections from {@code SLUICE_CONN_<CONN_ID>} URIs in the given environment. */
  static ConnectionResolver fromEnvironment(Map<String, String> env) {
    return id -> {
      String uri = env.get("SLUICE_CONN_" + id.toUpperCase(Locale.ROOT));
      return uri == null ? Optional.empty() : Optional.of(parseUri(id, uri));
    };
  }

  /** Parses {@code type://login:password@host:port/schema?key=value}. */
  static Connection parseUri(String connId, String uri) {
    URI u = URI.create(uri);
    String login = null;
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] lp = u.getRawUserInfo().split(":", 2);
      login = decode(lp[0]);
      password = lp.length > 1 ? decode(lp[1]) : null;
    }
    Map<String, String> extra = new LinkedHashMap<>();
    if (u.getRawQuery() != null) {
      for (String kv : u.getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        extra.put(decode(p[0]), p.length > 1 ? decode(p[1]) : "");
      }
    }
    String path = u.getPath();
    String schema = path == null || path.length() <= 1 ? null : path.substring(1);
    return new Connection(
        connId,
        u.getScheme(),
        u.getHost(),
        u.getPort() < 0 ? null : u.getPort(),
        login,
        password,
        schema,
        extra);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
