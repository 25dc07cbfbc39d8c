package io.sluice.spark;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers a job talks to. An empty connection setting means the embedded server of the local
 * stack, on its configured port of the loopback address.
 */
public final class Endpoints {
  private Endpoints() {}

  public static String kafkaBootstrap(SluiceConfig config) {
    return config
        .find(Settings.KAFKA_BOOTSTRAP)
        .orElse("127.0.0.1:" + config.get(Settings.KAFKA_PORT));
  }

  /** Cassandra contact points as {@code host:port,host:port}. */
  public static String cassandraContactPoints(SluiceConfig config) {
    return config
        .find(Settings.CASSANDRA_CONTACT_POINTS)
        .orElse("127.0.0.1:" + config.get(Settings.CASSANDRA_PORT));
  }

  public static String s3Endpoint(SluiceConfig config) {
    return config
        .find(Settings.S3_ENDPOINT)
        .orElse("http://127.0.0.1:" + config.get(Settings.S3_PORT));
  }

  /** Parses {@code host:port,host:port} (port 9042 when omitted). */
  public static List<InetSocketAddress> parseHostPorts(String list) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String part : list.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      int colon = p.lastIndexOf(':');
      if (colon < 0) out.add(InetSocketAddress.createUnresolved(p, 9042));
      else
        out.add(
            new InetSocketAddress(p.substring(0, colon), Integer.parseInt(p.substring(colon + 1))));
    }
    return out;
  }
}
