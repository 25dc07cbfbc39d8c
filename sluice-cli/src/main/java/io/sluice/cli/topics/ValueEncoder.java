package io.sluice.cli.topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.record.RecordFormatException;
import io.sluice.records.ConfluentWire;
import io.sluice.records.JsonRecords;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import io.sluice.schemaregistry.client.SchemaRegistryClient;
import io.sluice.schemaregistry.client.SchemaRegistryClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * How {@code topics produce} turns one line of input, a JSON object, into a Kafka value: written as
 * it is (JSON), or as Avro in Confluent's wire format with a schema of the topic's value subject in
 * the schema registry. Not thread-safe.
 */
final class ValueEncoder {
  /** The value format asked for on the command line. */
  enum Format {
    /** Avro when the topic's value subject has a schema in the registry, else JSON. */
    AUTO,
    JSON,
    AVRO
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Schema schema;
  private final int schemaId;
  private final String description;

  private ValueEncoder(Schema schema, int schemaId, String description) {
    this.schema = schema;
    this.schemaId = schemaId;
    this.description = description;
  }

  /**
   * The encoder for {@code topic}: with {@code schemaFile}, Avro of that schema, registered under
   * the topic's value subject; otherwise that subject's latest schema, or JSON as {@code format}
   * says.
   */
  static ValueEncoder of(SluiceConfig config, String topic, Format format, Path schemaFile) {
    String subject = SchemaRegistry.valueSubject(topic);
    SchemaRegistryClient registry = new SchemaRegistryClient(SchemaRegistrySettings.url(config));
    if (schemaFile != null) {
      if (format == Format.JSON)
        throw new CliException(
            "--value-schema writes Avro; it cannot go with --value-format json", 2);
      String text = read(schemaFile);
      int id = call(registry, () -> registry.register(subject, text));
      return avro(text, id, subject);
    }
    if (format == Format.JSON) return new ValueEncoder(null, -1, "JSON");
    SchemaRegistryClient.Version latest;
    try {
      latest = registry.version(subject, "latest");
    } catch (SchemaRegistryClientException e) {
      boolean missing = e.errorCode() == 40401 || e.errorCode() == 40402;
      if (format == Format.AUTO && (missing || e.status() == 0))
        return new ValueEncoder(null, -1, "JSON");
      if (missing)
        throw new CliException(
            "no schema under "
                + subject
                + " in the schema registry; give one with --value-schema FILE.avsc");
      throw new CliException("schema registry " + registry.baseUrl() + ": " + e.getMessage());
    }
    return avro(latest.schema(), latest.id(), subject);
  }

  /** The value of one line of input; an {@link IllegalArgumentException} names what is wrong. */
  byte[] encode(String line) {
    byte[] json = line.getBytes(StandardCharsets.UTF_8);
    if (schema == null) {
      try {
        MAPPER.readTree(json);
      } catch (IOException e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
        throw new IllegalArgumentException("not JSON: " + why + " in: " + line);
      }
      return json;
    }
    try {
      return ConfluentWire.encode(schemaId, JsonRecords.decode(json, schema));
    } catch (RecordFormatException e) {
      throw new IllegalArgumentException("not a " + description + " record: " + e.getMessage());
    }
  }

  /** The format values are written in, for the summary line. */
  String description() {
    return description;
  }

  private static ValueEncoder avro(String schemaText, int id, String subject) {
    try {
      return new ValueEncoder(
          new Schema.Parser().parse(schemaText),
          id,
          "Avro (schema id " + id + ", " + subject + ")");
    } catch (SchemaParseException e) {
      throw new CliException(subject + ": not an Avro schema: " + e.getMessage());
    }
  }

  private static <T> T call(SchemaRegistryClient registry, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (SchemaRegistryClientException e) {
      throw new CliException("schema registry " + registry.baseUrl() + ": " + e.getMessage());
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
