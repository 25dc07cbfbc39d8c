package io.sluice.records;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * A schemas directory with a next version of a record type's schema, as an operator adds one: the
 * current schema plus one optional string field with a null default.
 */
public final class EvolvedSchemas {
  private EvolvedSchemas() {}

  /** Writes {@code type}'s next version with {@code field} to {@code dir} and makes it current. */
  public static void addOptionalField(Path dir, RecordType type, String field) throws Exception {
    Schema current = type.schema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : current.getFields()) fields.add(new Schema.Field(f, f.schema()));
    Schema optionalString =
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING));
    fields.add(new Schema.Field(field, optionalString, null, Schema.Field.NULL_DEFAULT_VALUE));
    Schema next =
        Schema.createRecord(
            current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    Path file = dir.resolve(type.schemaName()).resolve("v" + (type.version() + 1) + ".avsc");
    Files.createDirectories(file.getParent());
    Files.writeString(file, next.toString(true));
    System.setProperty(RecordType.DIR_PROPERTY, dir.toString());
    RecordType.reload();
  }

  /** Back to the built-in schemas only. */
  public static void forget() {
    System.clearProperty(RecordType.DIR_PROPERTY);
    RecordType.reload();
  }
}
