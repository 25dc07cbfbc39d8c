package io.sluice.spark.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Creates keyspaces and tables when missing. Called on the driver before the queries start. */
public final class CassandraSchema {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");

  private CassandraSchema() {}

  /**
   * The replication map of a {@code Settings.CASSANDRA_REPLICATION} value: {@code SimpleStrategy:1}
   * or {@code NetworkTopologyStrategy:dc1=3,dc2=2}.
   */
  public static String replicationMap(String setting) {
    String[] parts = setting.split(":", 2);
    if (parts[0].equals("SimpleStrategy"))
      return "{'class': 'SimpleStrategy', 'replication_factor': "
          + Integer.parseInt(parts[1])
          + "}";
    if (!parts[0].equals("NetworkTopologyStrategy") || parts.length < 2)
      throw new IllegalArgumentException("unsupported replication: " + setting);
    List<String> entries = new ArrayList<>();
    entries.add("'class': 'NetworkTopologyStrategy'");
    for (String dc : parts[1].split(",")) {
      String[] kv = dc.split("=");
      entries.add("'" + kv[0].trim() + "': " + Integer.parseInt(kv[1].trim()));
    }
    return "{" + String.join(", ", entries) + "}";
  }

  /** Rejects a keyspace or table name that is not a plain CQL identifier. */
  public static String identifier(String name) {
    if (!IDENTIFIER.matcher(name).matches())
      throw new IllegalArgumentException("not a valid Cassandra name: '" + name + "'");
    return name;
  }

  public static void createKeyspace(CqlSession session, String keyspace, String replication) {
    execute(
        session,
        "CREATE KEYSPACE IF NOT EXISTS "
            + identifier(keyspace)
            + " WITH replication = "
            + replicationMap(replication));
  }

  public static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30)));
  }
}
