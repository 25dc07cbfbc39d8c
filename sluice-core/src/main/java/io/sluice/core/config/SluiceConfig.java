package io.sluice.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.core.secrets.Masking;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The effective configuration: defaults, then an optional {@code sluice.yaml}, then environment
 * variables, then what this process published ({@link #publish}), then explicit overrides
 * (command-line flags, tests). Immutable; {@link #with} returns a copy.
 *
 * <pre>{@code
 * SluiceConfig config = SluiceConfig.load();
 * String topic = config.get(Settings.USERS_TOPIC);
 * }</pre>
 */
public final class SluiceConfig {
  /** Where a value came from, for {@code sluice config}. */
  public record Value(ConfigKey<?> key, String raw, String origin) {
    public String display() {
      if (raw == null) return "";
      return key.secret() && !raw.isEmpty() ? "****" : Masking.inText(raw);
    }
  }

  private static final String DEFAULT_FILE = "sluice.yaml";
  // why: a prefix keeps the keys apart from other libraries' properties (Spark reads spark.master)
  private static final String PUBLISHED = "sluice.config.";
  private static final String PUBLISHED_ORIGIN = "sluice.config-origin.";

  private final Map<String, Value> values;

  private SluiceConfig(Map<String, Value> values) {
    this.values = values;
  }

  /**
   * Loads from {@code SLUICE_CONFIG} (or {@code ./sluice.yaml} when present) and the process
   * environment.
   */
  public static SluiceConfig load() {
    return load(true);
  }

  /**
   * As {@link #load()}, for a process that holds only some of Sluice's modules (a Spark job JVM):
   * keys of the file that no module on this class path declares are skipped rather than refused,
   * since the command that started the process has already validated the whole file.
   */
  public static SluiceConfig loadKnownKeys() {
    return load(false);
  }

  private static SluiceConfig load(boolean strict) {
    String file = System.getenv("SLUICE_CONFIG");
    Path path = file != null && !file.isBlank() ? Path.of(file) : Path.of(DEFAULT_FILE);
    if (file != null && !file.isBlank() && !Files.exists(path)) {
      throw new ConfigException(
          "configuration file " + path + " (from SLUICE_CONFIG) does not exist");
    }
    SluiceConfig config = load(Files.exists(path) ? path : null, System.getenv(), strict);
    for (ConfigKey<?> key : Settings.all()) {
      String published = System.getProperty(PUBLISHED + key.name());
      if (published != null)
        config =
            config.with(
                key, published, System.getProperty(PUBLISHED_ORIGIN + key.name(), "this process"));
    }
    return config;
  }

  /**
   * Makes every value of {@code config} that is not a default what {@link #load()} returns in this
   * process from now on: {@code sluice up} publishes its flags and the addresses of the servers it
   * started, so that the tasks it runs, which load the configuration themselves, see them too.
   */
  public static void publish(SluiceConfig config) {
    for (Value v : config.describe())
      if (v.raw() != null && !v.origin().equals("default")) {
        System.setProperty(PUBLISHED + v.key().name(), v.raw());
        System.setProperty(PUBLISHED_ORIGIN + v.key().name(), v.origin());
      }
  }

  /** Loads from an optional YAML file and the given environment; validates every value. */
  public static SluiceConfig load(Path yamlFile, Map<String, String> env) {
    return load(yamlFile, env, true);
  }

  static SluiceConfig load(Path yamlFile, Map<String, String> env, boolean strict) {
    Map<String, Value> values = new LinkedHashMap<>();
    List<ConfigKey<?>> keys = Settings.all();
    for (ConfigKey<?> key : keys) {
      values.put(key.name(), new Value(key, key.defaultValue(), "default"));
    }
    if (yamlFile != null) {
      Map<String, String> fromFile = readYaml(yamlFile);
      for (var e : fromFile.entrySet()) {
        Value current = values.get(e.getKey());
        if (current == null && !strict) continue;
        if (current == null) {
          throw new ConfigException(
              "unknown key '"
                  + e.getKey()
                  + "' in "
                  + yamlFile
                  + "; known keys: "
                  + String.join(", ", values.keySet()));
        }
        values.put(e.getKey(), new Value(current.key(), e.getValue(), yamlFile.toString()));
      }
    }
    for (ConfigKey<?> key : keys) {
      List<String> names = key.envNames();
      for (int i = names.size() - 1; i >= 0; i--) {
        String v = env.get(names.get(i));
        if (v != null) {
          values.put(key.name(), new Value(key, v, "env " + names.get(i)));
        }
      }
    }
    var config = new SluiceConfig(values);
    config.validate();
    return config;
  }

  /** Defaults only; for tests and tools that build their configuration by hand. */
  public static SluiceConfig defaults() {
    return load(null, Map.of());
  }

  /** A copy with {@code key} set to {@code raw}, validated; the origin reads "override". */
  public SluiceConfig with(ConfigKey<?> key, String raw) {
    return with(key, raw, "override");
  }

  public SluiceConfig with(ConfigKey<?> key, String raw, String origin) {
    var copy = new LinkedHashMap<>(values);
    copy.put(key.name(), new Value(key, raw, origin));
    var config = new SluiceConfig(copy);
    if (raw != null && !raw.isBlank()) key.parse(raw, origin);
    return config;
  }

  /** The typed value, or the parsed default; throws when the key has neither. */
  public <T> T get(ConfigKey<T> key) {
    return find(key)
        .orElseThrow(
            () ->
                new ConfigException(
                    key.name() + " (env " + key.env() + ") is not set: " + key.description()));
  }

  /** The typed value, or empty when the key is unset or blank. */
  public <T> Optional<T> find(ConfigKey<T> key) {
    Value v = values.get(key.name());
    String raw = v == null ? key.defaultValue() : v.raw();
    if (raw == null || raw.isBlank()) return Optional.empty();
    return Optional.of(key.parse(raw, v == null ? "default" : v.origin()));
  }

  /** True when the key has a non-blank value. */
  public boolean isSet(ConfigKey<?> key) {
    return find(key).isPresent();
  }

  /** Every value with its origin, in declaration order. */
  public List<Value> describe() {
    return List.copyOf(values.values());
  }

  /** The data directory, absolute and normalised. */
  public Path dataDir() {
    return get(Settings.DATA_DIR).toAbsolutePath().normalize();
  }

  private void validate() {
    for (Value v : values.values()) {
      if (v.raw() != null && !v.raw().isBlank()) v.key().parse(v.raw(), v.origin());
    }
  }

  private static Map<String, String> readYaml(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> flat = new HashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) return flat;
    if (!root.isObject())
      throw new ConfigException(file + ": expected a mapping of settings at the top level");
    flatten("", root, flat, file);
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isObject()) flatten(name, v, out, file);
      else if (v.isArray()) {
        Set<String> parts = new java.util.LinkedHashSet<>();
        v.forEach(x -> parts.add(x.asText()));
        out.put(name, parts.stream().collect(Collectors.joining(",")));
      } else out.put(name, v.isNull() ? "" : v.asText());
    }
  }
}
