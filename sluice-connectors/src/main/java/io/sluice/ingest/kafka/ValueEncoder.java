package io.sluice.ingest.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ingest.record.RecordFormatException;
import io.sluice.records.ConfluentWire;
import io.sluice.records.JsonRecords;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.records.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * How a value typed by hand becomes a Kafka value: a JSON object written as Avro in Confluent's
 * wire format (magic byte, schema id) with a schema of the topic's value subject in the schema
 * registry, or written as it is (checked to be JSON, or any UTF-8 text). {@code sluice topics
 * produce} and the web UI's Produce record dialog both encode through it. Immutable.
 *
 * <pre>{@code
 * ValueEncoder values = ValueEncoder.of(registry, "users_created", Format.AVRO_OR_JSON, null);
 * byte[] value = values.encode("{\"id\": \"u1\", ...}");
 * }</pre>
 */
public final class ValueEncoder {
  /** The format to write values in. */
  public enum Format {
    /** Avro when the topic's value subject has a schema in the registry, else JSON. */
    AVRO_OR_JSON,
    /** Avro when the topic's value subject has a schema in the registry, else UTF-8 text. */
    AVRO_OR_TEXT,
    /** A JSON document, written as it is. */
    JSON,
    /** Any text, written as UTF-8. */
    TEXT,
    /** Avro with the value subject's latest schema (or the schema given); none is an error. */
    AVRO
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Schema schema;
  private final int schemaId;
  private final Format written;
  private final String description;

  private ValueEncoder(Schema schema, int schemaId, Format written, String description) {
    this.schema = schema;
    this.schemaId = schemaId;
    this.written = written;
    this.description = description;
  }

  /**
   * The encoder for {@code topic}: with {@code schemaText}, Avro of that schema, registered under
   * the topic's value subject first; otherwise that subject's latest schema, or JSON or text as
   * {@code format} says. A subject without a schema where Avro is required, or a schema that is not
   * Avro, is an {@link IllegalArgumentException}; a registry that refuses or cannot be reached is a
   * {@link SchemaRegistryException}, except that {@link Format#AVRO_OR_JSON} then writes JSON.
   */
  public static ValueEncoder of(
      SchemaRegistry registry, String topic, Format format, String schemaText) {
    String subject = SchemaRegistry.valueSubject(topic);
    if (schemaText != null) {
      if (format == Format.JSON || format == Format.TEXT)
        throw new IllegalArgumentException("a value schema writes Avro, not " + format);
      Schema schema = parse(subject, schemaText);
      return avro(schema, registry.register(subject, schema), subject);
    }
    if (format == Format.JSON) return new ValueEncoder(null, -1, Format.JSON, "JSON");
    if (format == Format.TEXT) return new ValueEncoder(null, -1, Format.TEXT, "text");
    SchemaRegistry.Latest latest;
    try {
      latest = registry.latest(subject);
    } catch (SchemaRegistryException e) {
      boolean missing =
          e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND
              || e.errorCode() == SchemaRegistryException.VERSION_NOT_FOUND;
      // why: the CLI writes JSON topics with no registry running, as Kafka's console producer does
      if (format == Format.AVRO_OR_JSON && (missing || e.errorCode() == -1))
        return new ValueEncoder(null, -1, Format.JSON, "JSON");
      if (format == Format.AVRO_OR_TEXT && missing)
        return new ValueEncoder(null, -1, Format.TEXT, "text");
      if (missing)
        throw new IllegalArgumentException(
            "no schema under " + subject + " in the schema registry");
      throw e;
    }
    return avro(latest.schema(), latest.id(), subject);
  }

  /**
   * The bytes of one value; an {@link IllegalArgumentException} says why it is not JSON or does not
   * match the Avro schema (Avro's own words: a field missing, a wrong type).
   */
  public byte[] encode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (written == Format.TEXT) return bytes;
    if (schema == null) {
      try {
        MAPPER.readTree(bytes);
      } catch (IOException e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
        throw new IllegalArgumentException("not JSON: " + why + " in: " + value);
      }
      return bytes;
    }
    try {
      return ConfluentWire.encode(schemaId, JsonRecords.decode(bytes, schema));
    } catch (RecordFormatException e) {
      throw new IllegalArgumentException("does not match " + description + ": " + e.getMessage());
    }
  }

  /** {@code avro}, {@code json} or {@code text}: what the values are written as. */
  public String format() {
    return schema == null ? written.name().toLowerCase(Locale.ROOT) : "avro";
  }

  /** The registry's id of the schema values are written with; null unless Avro. */
  public Integer schemaId() {
    return schema == null ? null : schemaId;
  }

  /** The format in words, for a summary line: {@code Avro (schema id 3, t-value)}. */
  public String description() {
    return description;
  }

  private static ValueEncoder avro(Schema schema, int id, String subject) {
    return new ValueEncoder(
        schema, id, Format.AVRO, "Avro (schema id " + id + ", " + subject + ")");
  }

  private static Schema parse(String subject, String text) {
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new IllegalArgumentException(subject + ": not an Avro schema: " + e.getMessage());
    }
  }
}
