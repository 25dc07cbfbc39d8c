package io.sluice.schemaregistry.server;

import io.sluice.schemaregistry.CompatibilityLevel;
import io.sluice.schemaregistry.CompatibilityLevel.Versioned;
import io.sluice.schemaregistry.server.SchemaLog.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * The registry's operations, as the Confluent REST API names them. Every call first reads the log
 * to its end, so that an answer reflects every instance's committed writes; every write is decided
 * on that state and appended only if no other instance wrote meanwhile (else it is decided again).
 * Thread-safe: calls are serialised.
 */
public final class SchemaRegistry implements AutoCloseable {
  private static final int WRITE_ATTEMPTS = 20;
  private static final Set<String> MODES =
      Set.of("READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT");

  private final SchemaLog log;
  private final RegistryState state = new RegistryState();

  public SchemaRegistry(SchemaLog log) {
    this.log = log;
  }

  /** A schema sent by a client: its text, type (null means AVRO) and references. */
  public record SchemaInput(String schema, String schemaType, int references) {}

  /** Where a schema id is used. */
  public record SubjectVersion(String subject, int version) {}

  public synchronized List<String> subjects(boolean deleted) {
    return read(s -> s.subjects(deleted));
  }

  /** Version numbers of {@code subject}, oldest first; 40401 when it has none. */
  public synchronized List<Integer> versions(String subject, boolean deleted) {
    return read(
        s -> {
          List<SchemaVersion> found = s.versions(subject, deleted);
          if (found.isEmpty()) throw RegistryException.subjectNotFound(subject);
          return found.stream().map(SchemaVersion::version).toList();
        });
  }

  /** One version, by number or {@code latest} ({@code -1}); 40401, 40402 or 42202 otherwise. */
  public synchronized SchemaVersion version(String subject, String version, boolean deleted) {
    return read(s -> find(s, subject, version, deleted));
  }

  /**
   * Registers {@code input} under {@code subject} and returns its id: the id it already has there,
   * else a new version (409 when the subject's compatibility level forbids it).
   */
  public synchronized int register(String subject, SchemaInput input) {
    Schema schema = parse(input);
    String canonical = schema.toString();
    return write(
        s -> {
          requireWritable(s);
          List<SchemaVersion> live = s.versions(subject, false);
          for (SchemaVersion v : live)
            if (v.schema().equals(canonical)) return Decision.none(v.id());
          List<String> violations = s.effectiveLevel(subject).violations(schema, versioned(live));
          if (!violations.isEmpty()) throw RegistryException.incompatible(subject, violations);
          int id = s.idOf(canonical).orElse(s.nextId());
          SchemaVersion created =
              new SchemaVersion(subject, s.lastVersionNumber(subject) + 1, id, canonical, false);
          return new Decision<>(List.of(LogRecords.schema(created)), id);
        });
  }

  /** The version of {@code subject} that holds this schema; 40401 or 40403 otherwise. */
  public synchronized SchemaVersion lookup(String subject, SchemaInput input, boolean deleted) {
    String canonical = parse(input).toString();
    return read(
        s -> {
          List<SchemaVersion> versions = s.versions(subject, deleted);
          if (versions.isEmpty()) throw RegistryException.subjectNotFound(subject);
          return versions.stream()
              .filter(v -> v.schema().equals(canonical))
              .reduce((a, b) -> b)
              .orElseThrow(() -> RegistryException.schemaNotFound("for subject '" + subject + "'"));
        });
  }

  /** The schema text with {@code id}; 40403 when no subject holds it. */
  public synchronized String schemaById(int id) {
    return read(
        s ->
            s.byId(id).stream()
                .findFirst()
                .map(SchemaVersion::schema)
                .orElseThrow(() -> RegistryException.schemaNotFound("id " + id)));
  }

  /** The live subject versions that hold schema {@code id}; 40403 when none does. */
  public synchronized List<SubjectVersion> usesOf(int id) {
    return read(
        s -> {
          List<SchemaVersion> found = s.byId(id);
          if (found.isEmpty()) throw RegistryException.schemaNotFound("id " + id);
          return found.stream()
              .filter(v -> !v.deleted())
              .map(v -> new SubjectVersion(v.subject(), v.version()))
              .toList();
        });
  }

  /**
   * Why {@code input} may not follow the subject's versions at its level: against one version
   * ({@code version}: a number or {@code latest}), or against those the level compares with ({@code
   * version} null). Empty when it may, or when the subject has no version yet.
   */
  public synchronized List<String> compatibility(
      String subject, String version, SchemaInput input) {
    Schema schema = parse(input);
    return read(
        s -> {
          List<SchemaVersion> live = s.versions(subject, false);
          CompatibilityLevel level = s.effectiveLevel(subject);
          if (version == null || (live.isEmpty() && isLatest(version)))
            return level.violations(schema, versioned(live));
          return level.violations(schema, versioned(List.of(find(s, subject, version, false))));
        });
  }

  /**
   * The level of {@code subject} (null: the registry's); a subject without its own level answers
   * 40408, unless {@code defaultToGlobal}.
   */
  public synchronized CompatibilityLevel level(String subject, boolean defaultToGlobal) {
    return read(
        s -> {
          if (subject == null) return s.globalLevel().orElse(CompatibilityLevel.DEFAULT);
          if (defaultToGlobal) return s.effectiveLevel(subject);
          return s.subjectLevel(subject)
              .orElseThrow(() -> RegistryException.subjectLevelNotConfigured(subject));
        });
  }

  /** Sets the level of {@code subject} (null: the registry's); 42203 for an unknown level. */
  public synchronized CompatibilityLevel setLevel(String subject, String level) {
    CompatibilityLevel parsed;
    try {
      parsed = CompatibilityLevel.parse(level);
    } catch (IllegalArgumentException e) {
      throw RegistryException.invalidLevel(level);
    }
    return write(s -> new Decision<>(List.of(LogRecords.config(subject, parsed)), parsed));
  }

  /** Removes the level of {@code subject} (null: the registry's) and returns the one it had. */
  public synchronized CompatibilityLevel deleteLevel(String subject) {
    return write(
        s -> {
          CompatibilityLevel before =
              subject == null
                  ? s.globalLevel().orElse(CompatibilityLevel.DEFAULT)
                  : s.subjectLevel(subject)
                      .orElseThrow(() -> RegistryException.subjectNotFound(subject));
          return new Decision<>(List.of(LogRecords.config(subject, null)), before);
        });
  }

  public synchronized String mode() {
    return read(RegistryState::mode);
  }

  /** Sets the registry's mode: READWRITE, READONLY (writes refused with 42205) or IMPORT. */
  public synchronized String setMode(String mode) {
    if (mode == null || !MODES.contains(mode)) throw RegistryException.invalidMode(mode);
    return write(s -> new Decision<>(List.of(LogRecords.mode(mode)), mode));
  }

  /**
   * Soft-deletes every live version of {@code subject}, or, with {@code permanent}, removes the
   * soft-deleted ones for good; returns the version numbers deleted.
   */
  public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
    return write(
        s -> {
          requireWritable(s);
          List<SchemaVersion> all = s.versions(subject, true);
          List<SchemaVersion> live = s.versions(subject, false);
          if (all.isEmpty()) throw RegistryException.subjectNotFound(subject);
          List<Entry> entries = new ArrayList<>();
          if (!permanent) {
            if (live.isEmpty()) throw RegistryException.subjectSoftDeleted(subject);
            live.forEach(v -> entries.add(LogRecords.schema(v.withDeleted(true))));
            return new Decision<>(entries, numbers(live));
          }
          if (!live.isEmpty()) throw RegistryException.subjectNotSoftDeleted(subject);
          all.forEach(v -> entries.add(LogRecords.schemaTombstone(v)));
          if (s.subjectLevel(subject).isPresent()) entries.add(LogRecords.config(subject, null));
          return new Decision<>(entries, numbers(all));
        });
  }

  /** Soft-deletes one version, or removes a soft-deleted one for good; returns its number. */
  public synchronized int deleteVersion(String subject, String version, boolean permanent) {
    return write(
        s -> {
          requireWritable(s);
          // why: "latest" is the latest live version; a number may name a soft-deleted one
          SchemaVersion v = find(s, subject, version, permanent || !isLatest(version));
          if (!permanent) {
            if (v.deleted()) throw RegistryException.versionSoftDeleted(subject, v.version());
            return new Decision<>(List.of(LogRecords.schema(v.withDeleted(true))), v.version());
          }
          if (!v.deleted()) throw RegistryException.versionNotSoftDeleted(subject, v.version());
          return new Decision<>(List.of(LogRecords.schemaTombstone(v)), v.version());
        });
  }

  @Override
  public void close() {
    log.close();
  }

  /** Parses a client's schema; 42201 when it is not a valid Avro schema. */
  static Schema parse(SchemaInput input) {
    if (input.schemaType() != null && !"AVRO".equals(input.schemaType()))
      throw RegistryException.invalidSchema(
          "schema type " + input.schemaType() + " is not supported; this registry holds AVRO");
    if (input.references() > 0)
      throw RegistryException.invalidSchema("schema references are not supported");
    if (input.schema() == null || input.schema().isBlank())
      throw RegistryException.invalidSchema("the request has no schema");
    try {
      return new Schema.Parser().parse(input.schema());
    } catch (RuntimeException e) {
      throw RegistryException.invalidSchema(e.getMessage());
    }
  }

  private record Decision<T>(List<Entry> entries, T result) {
    static <T> Decision<T> none(T result) {
      return new Decision<>(List.of(), result);
    }
  }

  private <T> T read(Function<RegistryState, T> query) {
    log.readToEnd(state::apply);
    return query.apply(state);
  }

  private <T> T write(Function<RegistryState, Decision<T>> decide) {
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      log.readToEnd(state::apply);
      Decision<T> d = decide.apply(state);
      if (d.entries().isEmpty()) return d.result();
      if (log.appendIfCurrent(d.entries())) {
        log.readToEnd(state::apply);
        return d.result();
      }
    }
    throw new RegistryException(
        50001,
        "Error in the backend data store: the write lost to others " + WRITE_ATTEMPTS + " times");
  }

  private static SchemaVersion find(
      RegistryState s, String subject, String version, boolean deleted) {
    int wanted = parseVersion(version);
    List<SchemaVersion> versions = s.versions(subject, deleted);
    if (versions.isEmpty()) throw RegistryException.subjectNotFound(subject);
    if (wanted == -1) return versions.get(versions.size() - 1);
    return versions.stream()
        .filter(v -> v.version() == wanted)
        .findFirst()
        .orElseThrow(() -> RegistryException.versionNotFound(subject, wanted));
  }

  private static int parseVersion(String version) {
    if (isLatest(version)) return -1;
    try {
      int n = Integer.parseInt(version);
      if (n >= 1) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw RegistryException.invalidVersion(version);
  }

  private static boolean isLatest(String version) {
    return "latest".equals(version) || "-1".equals(version);
  }

  private static void requireWritable(RegistryState s) {
    if (s.mode().startsWith("READONLY"))
      throw RegistryException.notPermitted("the registry is in " + s.mode() + " mode");
  }

  private static List<Versioned> versioned(List<SchemaVersion> versions) {
    return versions.stream()
        .map(v -> new Versioned(v.version(), new Schema.Parser().parse(v.schema())))
        .toList();
  }

  private static List<Integer> numbers(List<SchemaVersion> versions) {
    return versions.stream().map(SchemaVersion::version).toList();
  }
}
