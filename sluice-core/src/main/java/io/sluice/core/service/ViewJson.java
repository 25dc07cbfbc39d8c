package io.sluice.core.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.sluice.core.model.RunType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the view records into the JSON objects that the CLI ({@code --output json}) and the REST
 * API both print: Airflow's field names, timestamps as {@code 2024-01-01T00:00:00+00:00}.
 */
public final class ViewJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(
              new SimpleModule()
                  .addSerializer(
                      Instant.class,
                      new JsonSerializer<>() {
                        @Override
                        public void serialize(
                            Instant value, JsonGenerator gen, SerializerProvider serializers)
                            throws IOException {
                          gen.writeString(RunType.timestamp(value));
                        }
                      }))
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private ViewJson() {}

  /** The view as an ordered map of JSON values (timestamps already formatted). */
  public static Map<String, Object> toMap(Object view) {
    return MAPPER.convertValue(view, new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  /**
   * A run configuration as a map; empty for null or blank.
   *
   * @throws IllegalArgumentException when it is not a JSON object
   */
  public static Map<String, Object> parseConf(String json) {
    if (json == null || json.isBlank()) return Map.of();
    try {
      return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("run conf is not a JSON object: " + e.getMessage(), e);
    }
  }

  /** Seconds between two instants, or null when either is unknown. */
  public static Double seconds(Instant start, Instant end) {
    if (start == null || end == null) return null;
    return Duration.between(start, end).toNanos() / 1e9;
  }
}
