package io.sluice.schemaregistry;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ModuleSettings;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.util.List;

/**
 * The settings of the schema registry the local stack starts: its port and state topic. Where an
 * external registry is, {@link Settings#SCHEMA_REGISTRY_URL}, is an endpoint of the core's.
 */
public final class SchemaRegistrySettings implements ModuleSettings {
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
    return ModuleSettings.declaredIn(SchemaRegistrySettings.class);
  }

  /**
   * The registry every Sluice process talks to: {@link Settings#SCHEMA_REGISTRY_URL} when set, else
   * the local stack's registry on {@link #PORT}. Without a trailing slash.
   */
  public static String url(SluiceConfig config) {
    String url =
        config.find(Settings.SCHEMA_REGISTRY_URL).orElse("http://127.0.0.1:" + config.get(PORT));
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * True when {@link Settings#SCHEMA_REGISTRY_URL} names an external registry, so that none is
   * started.
   */
  public static boolean isExternal(SluiceConfig config) {
    return config.isSet(Settings.SCHEMA_REGISTRY_URL);
  }
}
