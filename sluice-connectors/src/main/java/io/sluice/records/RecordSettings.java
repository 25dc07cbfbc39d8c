package io.sluice.records;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ModuleSettings;
import java.nio.file.Path;
import java.util.List;

/** The settings of the records on the topics: their format and further schemas. */
public final class RecordSettings implements ModuleSettings {
  public static final ConfigKey<String> TOPIC_FORMAT =
      ConfigKey.builder("topics.format", "SLUICE_TOPIC_FORMAT")
          .defaultValue("avro")
          .description(
              "Record format of the users and weather topics: avro (Confluent wire format, schema"
                  + " in the registry) or json (readable records); an ingest task's format option"
                  + " overrides it.")
          .oneOf("avro", "json");

  public static final ConfigKey<Path> SCHEMAS_DIR =
      ConfigKey.builder("schemas.dir", "SLUICE_SCHEMAS_DIR")
          .description(
              "Directory of further record schema versions (<type>/v<N>.avsc), read after the"
                  + " built-in ones: a record gains a field without a rebuild.")
          .path();

  @Override
  public List<ConfigKey<?>> keys() {
    return List.of(TOPIC_FORMAT, SCHEMAS_DIR);
  }
}
