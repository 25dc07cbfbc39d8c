package io.sluice.records;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The record types Sluice publishes and stores, each defined once by its Avro schema. The history
 * of a type is {@code io/sluice/schemas/<name>/v1.avsc}, {@code v2.avsc}, ... on the classpath; the
 * highest version is the current one, from which the codecs, the Spark schemas, the Parquet columns
 * and the Cassandra tables are derived. Adding an optional field is one new {@code .avsc}.
 */
public enum RecordType {
  USER("user"),
  HOURLY_WEATHER("hourly_weather"),
  DAILY_WEATHER("daily_weather"),
  DAILY_AGGREGATE("daily_aggregate");

  /** The environment variable naming a directory of further schema versions. */
  public static final String DIR_ENV = "SLUICE_SCHEMAS_DIR";

  /** The system property naming a directory of further schema versions. */
  public static final String DIR_PROPERTY = "sluice.schemas.dir";

  private static final String ROOT = "/io/sluice/schemas/";

  private final String schemaName;
  private volatile List<Schema> history;

  RecordType(String schemaName) {
    this.schemaName = schemaName;
  }

  /** The folder name of this type's schemas, e.g. {@code user}. */
  public String schemaName() {
    return schemaName;
  }

  /** The current schema: the last of {@link #history()}. */
  public Schema schema() {
    List<Schema> h = history();
    return h.get(h.size() - 1);
  }

  /** The current schema's version, 1 for the first. */
  public int version() {
    return history().size();
  }

  /** Every committed version of this type's schema, oldest first. */
  public List<Schema> history() {
    List<Schema> h = history;
    if (h == null) history = h = load(schemaName);
    return h;
  }

  /**
   * Forgets the histories read so far, so that the next use of each type reads the schemas
   * directory as it is now.
   */
  static void reload() {
    for (RecordType t : values()) t.history = null;
  }

  static List<Schema> load(String schemaName) {
    List<Schema> versions = new ArrayList<>();
    Path dir = directory();
    for (int v = 1; ; v++) {
      String file = schemaName + "/v" + v + ".avsc";
      try (InputStream in = open(dir, file)) {
        if (in == null) break;
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema " + file, e);
      }
    }
    if (versions.isEmpty())
      throw new IllegalStateException(
          "no schema " + ROOT + schemaName + "/v1.avsc on the classpath");
    List<String> breaks = SchemaHistory.breaks(schemaName, versions);
    if (!breaks.isEmpty()) throw new IllegalStateException(String.join("\n", breaks));
    return List.copyOf(versions);
  }

  private static InputStream open(Path dir, String file) throws IOException {
    InputStream builtIn = RecordType.class.getResourceAsStream(ROOT + file);
    if (builtIn != null || dir == null) return builtIn;
    Path extra = dir.resolve(file);
    return Files.isRegularFile(extra) ? Files.newInputStream(extra) : null;
  }

  private static Path directory() {
    String dir = System.getProperty(DIR_PROPERTY, System.getenv(DIR_ENV));
    return dir == null || dir.isBlank() ? null : Path.of(dir);
  }
}
