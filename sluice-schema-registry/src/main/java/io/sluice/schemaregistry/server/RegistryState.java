package io.sluice.schemaregistry.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemaregistry.CompatibilityLevel;
import io.sluice.schemaregistry.server.SchemaLog.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry as of the records applied so far: subjects and their versions, schemas by id,
 * compatibility levels and the mode. Built only by {@link #apply} from the log, so that every
 * instance that read the same log holds the same state.
 */
final class RegistryState {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);

  private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> levels = new HashMap<>();
  private CompatibilityLevel globalLevel;
  private String mode = "READWRITE";
  private int maxId;

  /** Applies one record of the log; records of a type it does not know are skipped. */
  void apply(Entry entry) {
    JsonNode key = LogRecords.read(entry.key());
    String type = key.path("keytype").asText();
    String subject = key.path("subject").isNull() ? null : key.path("subject").asText(null);
    JsonNode value = entry.value() == null ? null : LogRecords.read(entry.value());
    switch (type) {
      case "SCHEMA" -> applySchema(subject, key.path("version").asInt(), value);
      case "CONFIG" -> applyConfig(subject, value);
      case "MODE" -> mode = value == null ? "READWRITE" : value.path("mode").asText("READWRITE");
      default -> LOG.debug("skipping a {} record of the schema log", type);
    }
  }

  private void applySchema(String subject, int version, JsonNode value) {
    if (value == null) {
      TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
      if (versions != null) {
        versions.remove(version);
        if (versions.isEmpty()) subjects.remove(subject);
      }
      return;
    }
    SchemaVersion s =
        new SchemaVersion(
            subject,
            version,
            value.path("id").asInt(),
            value.path("schema").asText(),
            value.path("deleted").asBoolean(false));
    subjects.computeIfAbsent(subject, k -> new TreeMap<>()).put(version, s);
    maxId = Math.max(maxId, s.id());
  }

  private void applyConfig(String subject, JsonNode value) {
    CompatibilityLevel level =
        value == null ? null : CompatibilityLevel.parse(value.path("compatibilityLevel").asText());
    if (subject == null) globalLevel = level;
    else if (level == null) levels.remove(subject);
    else levels.put(subject, level);
  }

  /** Subjects with a live version (or any version, with {@code deleted}), sorted. */
  List<String> subjects(boolean deleted) {
    List<String> names = new ArrayList<>();
    subjects.forEach(
        (name, versions) -> {
          if (deleted || versions.values().stream().anyMatch(s -> !s.deleted())) names.add(name);
        });
    return names;
  }

  /** The subject's versions, oldest first; soft-deleted ones only with {@code deleted}. */
  List<SchemaVersion> versions(String subject, boolean deleted) {
    TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
    if (versions == null) return List.of();
    return versions.values().stream().filter(s -> deleted || !s.deleted()).toList();
  }

  /** The highest version number the subject ever had, soft-deleted ones included; 0 if none. */
  int lastVersionNumber(String subject) {
    TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
    return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
  }

  /** Every stored version, in every subject, that holds schema {@code id}. */
  List<SchemaVersion> byId(int id) {
    List<SchemaVersion> found = new ArrayList<>();
    subjects
        .values()
        .forEach(v -> v.values().stream().filter(s -> s.id() == id).forEach(found::add));
    return found;
  }

  /** The id already given to this exact (canonical) schema text, in any subject. */
  Optional<Integer> idOf(String canonicalSchema) {
    return subjects.values().stream()
        .flatMap(v -> v.values().stream())
        .filter(s -> s.schema().equals(canonicalSchema))
        .map(SchemaVersion::id)
        .findFirst();
  }

  /** The id a new schema gets: one more than the highest ever seen. */
  int nextId() {
    return maxId + 1;
  }

  Optional<CompatibilityLevel> globalLevel() {
    return Optional.ofNullable(globalLevel);
  }

  Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(levels.get(subject));
  }

  /** The level that applies to {@code subject}: its own, else the global one, else BACKWARD. */
  CompatibilityLevel effectiveLevel(String subject) {
    return subjectLevel(subject).orElse(globalLevel().orElse(CompatibilityLevel.DEFAULT));
  }

  String mode() {
    return mode;
  }
}
