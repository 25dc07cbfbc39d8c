package io.sluice.records;

import io.sluice.ingest.record.RecordFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Confluent's wire format of a Kafka value: the magic byte 0, the writer schema's registry id as 4
 * bytes big-endian, then the record in Avro binary. Thread-safe.
 */
public final class ConfluentWire {
  public static final byte MAGIC = 0;
  public static final int HEADER = 5;

  private ConfluentWire() {}

  /** {@code record} framed with {@code schemaId}, encoded with its own schema. */
  public static byte[] encode(int schemaId, GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC);
    out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Whether {@code bytes} start like a Confluent-framed record. */
  public static boolean framed(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER && bytes[0] == MAGIC;
  }

  /** The schema id of a framed record. */
  public static int schemaId(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }

  /**
   * The record in {@code bytes}, written with {@code writer} and resolved to {@code reader} (Avro's
   * schema resolution: defaults for fields the writer lacked, unknown fields skipped).
   */
  public static GenericRecord decode(byte[] bytes, Schema writer, Schema reader) {
    return decode(bytes, new GenericDatumReader<>(writer, reader), null);
  }

  /**
   * The record in {@code bytes}, read with {@code datumReader} (made for the record's writer schema
   * and the wanted reader schema) and {@code reuse}, a decoder of an earlier call or null; both are
   * kept by the caller for one thread, which spares an object graph per record.
   */
  public static GenericRecord decode(
      byte[] bytes, DatumReader<GenericRecord> datumReader, BinaryDecoder reuse) {
    BinaryDecoder decoder =
        DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, reuse);
    try {
      GenericRecord record = datumReader.read(null, decoder);
      if (!decoder.isEnd())
        throw new RecordFormatException(
            "not Avro of schema id " + schemaId(bytes) + ": bytes left after the record");
      return record;
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new RecordFormatException(
          "not Avro of schema id " + schemaId(bytes) + ": " + e.getMessage(), e);
    }
  }
}
