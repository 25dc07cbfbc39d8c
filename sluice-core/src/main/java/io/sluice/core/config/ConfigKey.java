package io.sluice.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One configuration setting, described in one place: its YAML name, its environment variables, its
 * type, its default, what it accepts and a sentence of help. The CLI ({@code sluice config}), the
 * docs and the error messages are all derived from it.
 *
 * @param name dotted name, as in {@code sluice.yaml} ({@code kafka.bootstrap})
 * @param env the environment variable that overrides it
 * @param aliases further environment variables, such as the seed documents' names
 * @param defaultValue the default as text, or {@code null} when unset by default
 * @param secret masked when printed
 */
public record ConfigKey<T>(
    String name,
    String env,
    List<String> aliases,
    String defaultValue,
    String description,
    boolean secret,
    String accepted,
    Function<String, T> parser) {

  public ConfigKey {
    Objects.requireNonNull(name);
    Objects.requireNonNull(env);
    aliases = List.copyOf(aliases);
  }

  /** Parses a raw value, turning any failure into a {@link ConfigException} that names this key. */
  public T parse(String raw, String origin) {
    try {
      return parser.apply(raw.trim());
    } catch (ConfigException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ConfigException.invalid(this, raw, accepted, origin);
    }
  }

  /** Every environment variable that sets this key, strongest first. */
  public List<String> envNames() {
    var all = new java.util.ArrayList<String>();
    all.add(env);
    all.addAll(aliases);
    return all;
  }

  public static Builder builder(String name, String env) {
    return new Builder(name, env);
  }

  /** Fluent construction of keys, so that each setting reads as one declaration. */
  public static final class Builder {
    private final String name;
    private final String env;
    private List<String> aliases = List.of();
    private String defaultValue;
    private String description = "";
    private boolean secret;

    private Builder(String name, String env) {
      this.name = name;
      this.env = env;
    }

    public Builder aliases(String... names) {
      this.aliases = Arrays.asList(names);
      return this;
    }

    public Builder defaultValue(String value) {
      this.defaultValue = value;
      return this;
    }

    public Builder description(String text) {
      this.description = text;
      return this;
    }

    public Builder secret() {
      this.secret = true;
      return this;
    }

    public ConfigKey<String> string() {
      return build("a string", s -> s);
    }

    public ConfigKey<Integer> port() {
      return build(
          "a TCP port between 1 and 65535",
          s -> {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) throw new IllegalArgumentException();
            return p;
          });
    }

    public ConfigKey<Integer> positiveInt() {
      return build(
          "a positive integer",
          s -> {
            int v = Integer.parseInt(s);
            if (v <= 0) throw new IllegalArgumentException();
            return v;
          });
    }

    public ConfigKey<Boolean> bool() {
      return build(
          "true or false",
          s -> {
            if (s.equalsIgnoreCase("true")) return true;
            if (s.equalsIgnoreCase("false")) return false;
            throw new IllegalArgumentException();
          });
    }

    public ConfigKey<Path> path() {
      return build("a file-system path", Path::of);
    }

    public ConfigKey<Duration> duration() {
      return build(
          "an ISO-8601 duration such as PT30S, or a number with a unit such as 30s, 5m, 1h",
          ConfigKey::parseDuration);
    }

    public ConfigKey<String> oneOf(String... values) {
      Set<String> allowed = Set.of(values);
      return build(
          "one of " + String.join(", ", values),
          s -> {
            if (!allowed.contains(s)) throw new IllegalArgumentException();
            return s;
          });
    }

    public <T> ConfigKey<T> build(String accepted, Function<String, T> parser) {
      return new ConfigKey<>(
          name, env, aliases, defaultValue, description, secret, accepted, parser);
    }
  }

  static Duration parseDuration(String s) {
    try {
      return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
    } catch (DateTimeParseException e) {
      var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(s.toLowerCase());
      if (!m.matches()) throw new IllegalArgumentException(s);
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
  }
}
