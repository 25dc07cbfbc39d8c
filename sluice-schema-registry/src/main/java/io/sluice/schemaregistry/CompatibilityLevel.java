package io.sluice.schemaregistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The seven compatibility levels of the Confluent Schema Registry, each decided by Apache Avro's
 * own {@link SchemaCompatibility}. BACKWARD: the new schema reads data written with the previous
 * one; FORWARD: the previous schema reads data written with the new one; FULL: both. The {@code
 * _TRANSITIVE} levels check against every earlier version, the others against the latest only.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  /** The level of a registry, or a subject, nobody has configured. */
  public static final CompatibilityLevel DEFAULT = BACKWARD;

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** The level named {@code name} (any case); throws {@link IllegalArgumentException} otherwise. */
  public static CompatibilityLevel parse(String name) {
    if (name == null) throw new IllegalArgumentException("no compatibility level given");
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown compatibility level '" + name + "'; one of " + List.of(values()));
    }
  }

  /** True for the levels that check every earlier version, not only the latest. */
  public boolean transitive() {
    return transitive;
  }

  /**
   * Why {@code candidate} may not follow {@code previous} at this level: one message per rule
   * broken, each naming the field, the rule and the version; empty when it may.
   *
   * @param previous the subject's live versions, oldest first, with their version numbers
   */
  public List<String> violations(Schema candidate, List<Versioned> previous) {
    List<String> messages = new ArrayList<>();
    if (this == NONE || previous.isEmpty()) return messages;
    List<Versioned> against =
        transitive ? previous : previous.subList(previous.size() - 1, previous.size());
    for (Versioned old : against) {
      if (backward)
        describe(
            candidate,
            old.schema(),
            "the new schema cannot read data written with version " + old.version(),
            messages);
      if (forward)
        describe(
            old.schema(),
            candidate,
            "version " + old.version() + " cannot read data written with the new schema",
            messages);
    }
    return messages;
  }

  /** A schema with its version number in its subject. */
  public record Versioned(int version, Schema schema) {}

  private static void describe(Schema reader, Schema writer, String direction, List<String> out) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) return;
    for (Incompatibility i : result.getIncompatibilities()) {
      out.add(
          i.getType()
              + " at '"
              + i.getLocation()
              + "': "
              + i.getMessage()
              + " ("
              + direction
              + ")");
    }
  }
}
