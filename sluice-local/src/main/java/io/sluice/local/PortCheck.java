package io.sluice.local;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks, before anything starts, that every port the embedded servers will bind is free. */
final class PortCheck {
  private PortCheck() {}

  /**
   * @throws LocalStackException naming each taken port, the service that wants it and the setting
   *     that moves it
   */
  static void requireFree(SluiceConfig config, Topology topology, Set<Service> embedded) {
    Map<Integer, String> wanted = new LinkedHashMap<>();
    for (Service s : embedded) {
      switch (s) {
        case KAFKA -> {
          for (int port : topology.kafkaPorts(config))
            wanted.put(port, use(s, Settings.KAFKA_PORT));
          for (int port : topology.kafkaControllerPorts(config))
            wanted.put(port, use(s, LocalSettings.KAFKA_CONTROLLER_PORT));
        }
        case CASSANDRA -> {
          wanted.put(config.get(Settings.CASSANDRA_PORT), use(s, Settings.CASSANDRA_PORT));
          wanted.put(
              config.get(LocalSettings.CASSANDRA_STORAGE_PORT),
              use(s, LocalSettings.CASSANDRA_STORAGE_PORT));
        }
        case S3 -> wanted.put(config.get(Settings.S3_PORT), use(s, Settings.S3_PORT));
        case METADATA_DB -> wanted.put(config.get(Settings.DB_PORT), use(s, Settings.DB_PORT));
        case API_SIMULATOR ->
            wanted.put(
                config.get(LocalSettings.SIMULATOR_PORT), use(s, LocalSettings.SIMULATOR_PORT));
        case SCHEMA_REGISTRY ->
            wanted.put(
                config.get(SchemaRegistrySettings.PORT), use(s, SchemaRegistrySettings.PORT));
      }
    }
    List<String> taken = new ArrayList<>();
    wanted.forEach(
        (port, use) -> {
          if (!Ports.isFree(port)) taken.add("port " + port + " for " + use);
        });
    if (!taken.isEmpty()) {
      throw new LocalStackException(
          String.join("; ", taken)
              + (taken.size() == 1 ? " is" : " are")
              + " already in use (another stack running? see `sluice stack status`)");
    }
  }

  private static String use(Service s, ConfigKey<Integer> key) {
    return s + " (set " + key.env() + " to use another)";
  }
}
