package io.sluice.records;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;

/**
 * The build's schema check: every version of a record type must be FULL_TRANSITIVE compatible with
 * every earlier one (a job on any version reads records of any other), decided by Avro's own {@link
 * SchemaCompatibility}. Producers and jobs are upgraded one at a time, so both directions matter.
 */
public final class SchemaHistory {
  /** The rule the check enforces, in the Confluent registry's words. */
  public static final String RULE = "FULL_TRANSITIVE";

  private SchemaHistory() {}

  /**
   * What breaks compatibility in {@code history} (oldest first), one message per problem, each
   * naming the versions, the field and the rule; empty when the history is compatible.
   */
  public static List<String> breaks(String name, List<Schema> history) {
    List<String> problems = new ArrayList<>();
    for (int n = 1; n < history.size(); n++) {
      for (int o = 0; o < n; o++) {
        check(problems, name, n + 1, history.get(n), o + 1, history.get(o));
        check(problems, name, o + 1, history.get(o), n + 1, history.get(n));
      }
    }
    return problems;
  }

  private static void check(
      List<String> problems,
      String name,
      int readerVersion,
      Schema reader,
      int writerVersion,
      Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) return;
    for (Incompatibility i : result.getIncompatibilities()) {
      problems.add(
          String.format(
              "%s v%d cannot read records written with v%d, so v%d breaks %s: %s at %s (%s)",
              name,
              readerVersion,
              writerVersion,
              Math.max(readerVersion, writerVersion),
              RULE,
              i.getType(),
              i.getLocation(),
              describe(i)));
    }
  }

  private static String describe(Incompatibility i) {
    if (i.getType() == SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE)
      return "field '" + i.getMessage() + "' is required and has no default; give it a default";
    return i.getMessage();
  }
}
