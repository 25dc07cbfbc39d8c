package io.sluice.ingest.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON encoding of the ingest records, as they travel in Kafka. Thread-safe. Decoding tolerates
 * fields it does not know (a newer writer) but refuses a newer {@code schema_version}.
 */
public final class RecordCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

  private RecordCodec() {}

  /** The shared mapper, configured for the wire format (ISO-8601 dates). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] encode(Object record) {
    try {
      return MAPPER.writeValueAsBytes(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + record.getClass().getSimpleName(), e);
    }
  }

  public static String encodeToString(Object record) {
    try {
      return MAPPER.writeValueAsString(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + record.getClass().getSimpleName(), e);
    }
  }

  public static User decodeUser(byte[] json) {
    return decode(json, User.class, User.SCHEMA_VERSION);
  }

  public static HourlyWeather decodeHourly(byte[] json) {
    return decode(json, HourlyWeather.class, HourlyWeather.SCHEMA_VERSION);
  }

  public static DailyWeather decodeDaily(byte[] json) {
    return decode(json, DailyWeather.class, DailyWeather.SCHEMA_VERSION);
  }

  private static <T> T decode(byte[] json, Class<T> type, int supportedVersion) {
    try {
      JsonNode tree = MAPPER.readTree(json);
      if (tree == null || !tree.isObject())
        throw new RecordFormatException(type.getSimpleName() + ": not a JSON object");
      int version = tree.path("schema_version").asInt(-1);
      if (version < 1 || version > supportedVersion)
        throw new RecordFormatException(
            type.getSimpleName()
                + ": unsupported schema_version "
                + tree.get("schema_version")
                + " (this build reads 1.."
                + supportedVersion
                + ")");
      return MAPPER.treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      throw new RecordFormatException(
          type.getSimpleName() + ": invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
