package io.sluice.schemaregistry;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ModuleSettings;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.net.URI;
import java.util.List;

/**
 * The schema registry's settings: where an external registry is, or the port and state topic of the
 * one the local stack starts.
 */
public final class SchemaRegistrySettings implements ModuleSettings {
  public static final ConfigKey<String> URL =
      ConfigKey.builder("schema-registry.url", "SLUICE_SCHEMA_REGISTRY_URL")
          .description(
              "URL of a Confluent-compatible schema registry (Confluent, Apicurio, Redpanda)."
                  + " Empty: the local stack's own registry.")
          .build(
              "an http or https URL",
              s -> {
                URI u = URI.create(s);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()))
                  throw new IllegalArgumentException(s);
                return s;
              });
  public static final ConfigKey<Integer> PORT =
      ConfigKey.builder("schema-registry.port", "SLUICE_SCHEMA_REGISTRY_PORT")
          .defaultValue("8085")
          .description("Port of the local stack's schema registry.")
          .port();
  public static final ConfigKey<String> TOPIC =
      ConfigKey.builder("schema-registry.topic", "SLUICE_SCHEMA_REGISTRY_TOPIC")
          .defaultValue("_schemas")
          .description("Compacted Kafka topic that holds the local registry's schemas and config.")
          .string();

  @Override
  public List<ConfigKey<?>> keys() {
    return Settings.declaredIn(SchemaRegistrySettings.class);
  }

  /**
   * The registry every Sluice process talks to: {@link #URL} when set, else the local stack's
   * registry on {@link #PORT}. Without a trailing slash.
   */
  public static String url(SluiceConfig config) {
    String url = config.find(URL).orElse("http://127.0.0.1:" + config.get(PORT));
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** True when {@link #URL} names an external registry, so that none is started. */
  public static boolean isExternal(SluiceConfig config) {
    return config.isSet(URL);
  }
}
