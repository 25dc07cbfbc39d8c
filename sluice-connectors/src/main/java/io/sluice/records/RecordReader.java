package io.sluice.records;

import io.sluice.ingest.record.RecordFormatException;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.records.registry.SchemaRegistryException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Kafka values of one record type into its current schema, whichever format each record
 * has: Confluent-framed Avro (resolved from its writer schema, fetched from the registry by id) or
 * readable JSON. A value that is neither, an unknown schema id, or an incompatible writer schema is
 * a {@link RecordFormatException} with the reason (a dead letter); an unreachable registry is a
 * {@link SchemaRegistryException} (a failure to retry, not a bad record). Thread-safe.
 */
public final class RecordReader {
  private final Schema reader;
  private final SchemaRegistry registry;
  // why: a DatumReader per record rebuilds its per-field caches every time; Avro's readers are not
  // thread-safe, so each thread keeps its own, with its decoder
  private final ThreadLocal<Readers> readers = ThreadLocal.withInitial(Readers::new);

  /** One thread's datum readers by writer schema id, and its reused decoder. */
  private static final class Readers {
    final Map<Integer, GenericDatumReader<GenericRecord>> byId = new HashMap<>();
    // why: binaryDecoder(..., reuse) reconfigures a decoder it is given instead of making one
    final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(new byte[0], null);
  }

  /** A reader of {@code type}; {@code registry} may be null when only JSON is expected. */
  public RecordReader(RecordType type, SchemaRegistry registry) {
    this(type.schema(), registry);
  }

  /** A reader into {@code reader}, a record schema. */
  public RecordReader(Schema reader, SchemaRegistry registry) {
    this.reader = reader;
    this.registry = registry;
  }

  /** The record in {@code value}, in the current schema. */
  public GenericRecord read(byte[] value) {
    if (value == null || value.length == 0) throw new RecordFormatException("record has no value");
    if (ConfluentWire.framed(value)) return readAvro(value);
    if (looksLikeJson(value)) return JsonRecords.decode(value, reader);
    throw new RecordFormatException(
        String.format(
            "neither Confluent Avro (magic byte 0 and a schema id) nor JSON: first byte 0x%02x,"
                + " %d bytes",
            value[0] & 0xff, value.length));
  }

  private GenericRecord readAvro(byte[] value) {
    int id = ConfluentWire.schemaId(value);
    if (registry == null)
      throw new SchemaRegistryException(
          "an Avro record (schema id " + id + ") but no schema registry is configured", null);
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() != SchemaRegistryException.SCHEMA_NOT_FOUND) throw e;
      throw new RecordFormatException("unknown schema id " + id + ": " + e.getMessage(), e);
    }
    Readers r = readers.get();
    GenericDatumReader<GenericRecord> datumReader = r.byId.get(id);
    if (datumReader == null || datumReader.getSchema() != writer) {
      datumReader = new GenericDatumReader<>(writer, reader);
      r.byId.put(id, datumReader);
    }
    return ConfluentWire.decode(value, datumReader, r.decoder);
  }

  /**
   * {@code value} as readable text: a Confluent-framed record decoded with its own writer schema
   * from {@code registry} into {@link JsonRecords}' JSON; anything else as UTF-8.
   */
  public static String toText(byte[] value, SchemaRegistry registry) {
    if (value == null) return "null";
    if (!ConfluentWire.framed(value) || registry == null)
      return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    Schema writer = registry.schemaById(ConfluentWire.schemaId(value));
    return new String(
        JsonRecords.encode(ConfluentWire.decode(value, writer, writer)),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Whether {@code value} starts, after white space, like a JSON object or array. */
  public static boolean looksLikeJson(byte[] value) {
    for (byte b : value) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
      return b == '{' || b == '[';
    }
    return false;
  }
}
