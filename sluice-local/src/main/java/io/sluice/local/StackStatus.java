package io.sluice.local;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.LocalMetadata;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.cassandra.CassandraNode;
import io.sluice.local.db.MetadataDb;
import io.sluice.local.db.PostgresBinaries;
import io.sluice.local.kafka.EmbeddedKafka;
import io.sluice.local.s3.S3Server;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether each service of the stack configured by a {@link SluiceConfig} answers, as seen from any
 * process: a TCP connection to its address (the embedded one, or the configured external one).
 */
public final class StackStatus {
  /** One line of {@code sluice stack status}. */
  public record ServiceStatus(
      Service service, boolean up, String address, Path dataDir, String version, boolean external) {
    public String state() {
      return up ? "up" : "down";
    }
  }

  private static final Pattern HOST_PORT = Pattern.compile("//([^/:;?]+):(\\d+)");
  private static final int CONNECT_TIMEOUT_MILLIS = 1000;

  private StackStatus() {}

  /** Probes every service; takes at most about a second per service that does not answer. */
  public static List<ServiceStatus> probe(SluiceConfig config) {
    List<ServiceStatus> result = new ArrayList<>();
    for (Service s : Service.values()) {
      boolean external = external(config, s);
      String address = displayAddress(config, s);
      boolean up = anyListening(config, s);
      result.add(
          new ServiceStatus(
              s,
              up,
              address,
              external ? null : LocalStack.dataDir(config, s),
              external ? "external" : version(config, s),
              external));
    }
    return result;
  }

  /**
   * True when {@code s} is set to a server of the user's own: a value the running local stack
   * published (its {@code run/endpoints.json}) is this stack's, not an external one.
   */
  private static boolean external(SluiceConfig config, Service s) {
    ConfigKey<String> key = LocalStack.externalKey(s);
    if (key == null || !config.isSet(key)) return false;
    return config.describe().stream()
        .noneMatch(
            v -> v.key().name().equals(key.name()) && v.origin().startsWith(StackEndpoints.ORIGIN));
  }

  /**
   * The version of the embedded server, e.g. {@code 4.3.1} for Kafka; the metadata database says
   * which server it is.
   */
  public static String version(SluiceConfig config, Service s) {
    return switch (s) {
      case KAFKA -> EmbeddedKafka.version();
      case CASSANDRA -> CassandraNode.version();
      case S3 -> S3Server.VERSION;
      case METADATA_DB ->
          LocalMetadata.postgres(config)
              ? "PostgreSQL "
                  + PostgresBinaries.debian()
                      .map(b -> b.version() + " (Debian)")
                      .orElse("(embedded)")
              : "H2 " + MetadataDb.version();
      case API_SIMULATOR, SCHEMA_REGISTRY -> sluiceVersion();
    };
  }

  private static String displayAddress(SluiceConfig config, Service s) {
    List<String> hostPorts = hostPorts(config, s);
    return hostPorts.isEmpty() ? LocalStack.address(config, s) : hostPorts.get(0);
  }

  private static boolean anyListening(SluiceConfig config, Service s) {
    for (String hostPort : hostPorts(config, s)) {
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) continue;
      try {
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        if (Ports.isListening(hostPort.substring(0, colon), port, CONNECT_TIMEOUT_MILLIS))
          return true;
      } catch (NumberFormatException ignored) {
        // not a host:port; cannot probe
      }
    }
    return false;
  }

  private static List<String> hostPorts(SluiceConfig config, Service s) {
    String address = LocalStack.address(config, s);
    List<String> result = new ArrayList<>();
    if (address.startsWith("jdbc:")) {
      Matcher m = HOST_PORT.matcher(address);
      if (m.find()) result.add(m.group(1) + ":" + m.group(2));
      return result;
    }
    for (String part : address.split(",")) result.add(part.trim());
    return result;
  }

  private static String sluiceVersion() {
    try (var in =
        StackStatus.class.getResourceAsStream(
            "/META-INF/maven/io.sluice/sluice-local/pom.properties")) {
      if (in == null) return "development";
      var props = new java.util.Properties();
      props.load(in);
      return "sluice " + props.getProperty("version", "development");
    } catch (java.io.IOException e) {
      return "development";
    }
  }
}
