package io.sluice.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a running local stack serves where, for the other {@code sluice} processes of its data
 * directory: {@code <data.dir>/run/endpoints.json}, a versioned contract written by the process
 * that started the servers and removed when it stops them.
 *
 * <pre>{@code
 * {"version": 1, "pid": 4242, "started_at": "2024-01-01T00:00:00Z",
 *  "settings": {"kafka.bootstrap": "127.0.0.1:9092", "source.randomuser-url": "http://127.0.0.1:8089/api/", ...}}
 * }</pre>
 *
 * Settings are named by their configuration keys. A client applies them only where its own
 * configuration has no value of its own: an explicit URL always wins ({@link #applyTo}).
 */
public record StackEndpoints(long pid, Instant startedAt, Map<String, String> settings) {
  /** The contract's version; readers ignore a file of another version. */
  public static final int VERSION = 1;

  /** How the configuration names a value this stack published: the origin starts with it. */
  public static final String ORIGIN = "local stack (pid ";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The file under {@code dataDir}. */
  public static Path file(Path dataDir) {
    return dataDir.resolve("run").resolve("endpoints.json");
  }

  /**
   * The endpoints of {@code config} (a running stack's {@link LocalStack#config()}), as this
   * process's.
   */
  static StackEndpoints of(SluiceConfig config) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (SluiceConfig.Value v : config.describe())
      if (v.raw() != null && v.origin().equals("local stack"))
        settings.put(v.key().name(), v.raw());
    return new StackEndpoints(ProcessHandle.current().pid(), Instant.now(), settings);
  }

  /** Writes the file atomically. */
  void write(Path dataDir) {
    Path target = file(dataDir);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", VERSION);
    doc.put("pid", pid);
    doc.put("started_at", startedAt.toString());
    doc.put("settings", settings);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("endpoints.json.tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), doc);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  /** Removes the file if this process wrote it. */
  static void deleteIfOwned(Path dataDir) {
    read(file(dataDir))
        .filter(e -> e.pid() == ProcessHandle.current().pid())
        .ifPresent(
            e -> {
              try {
                Files.deleteIfExists(file(dataDir));
              } catch (IOException ignored) {
                // why: a stale file is harmless, readers check that its process is alive
              }
            });
  }

  /**
   * The endpoints of the stack running from {@code dataDir}: the file exists and its process lives.
   */
  public static Optional<StackEndpoints> running(Path dataDir) {
    return read(file(dataDir))
        .filter(e -> ProcessHandle.of(e.pid()).map(ProcessHandle::isAlive).orElse(false));
  }

  private static Optional<StackEndpoints> read(Path file) {
    if (!Files.exists(file)) return Optional.empty();
    try {
      JsonNode doc = JSON.readTree(file.toFile());
      if (doc.path("version").asInt() != VERSION) return Optional.empty();
      Map<String, String> settings = new LinkedHashMap<>();
      doc.path("settings")
          .fields()
          .forEachRemaining(f -> settings.put(f.getKey(), f.getValue().asText()));
      return Optional.of(
          new StackEndpoints(
              doc.path("pid").asLong(), Instant.parse(doc.path("started_at").asText()), settings));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code config} with each of these settings that {@code config} leaves at its default: values
   * set in the environment, {@code sluice.yaml} or by this process win. The origin names the stack.
   */
  public SluiceConfig applyTo(SluiceConfig config, Path dataDir) {
    String origin = ORIGIN + pid + ", " + file(dataDir) + ")";
    SluiceConfig out = config;
    for (SluiceConfig.Value v : config.describe()) {
      String value = settings.get(v.key().name());
      if (value != null && v.origin().equals("default")) out = out.with(v.key(), value, origin);
    }
    return out;
  }

  /** The REST source keys whose origin {@code sluice config} explains. */
  public static final java.util.List<ConfigKey<String>> SOURCES =
      java.util.List.of(Settings.RANDOMUSER_URL, Settings.OPENMETEO_URL);
}
