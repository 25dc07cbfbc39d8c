package io.sluice.schemaregistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;

/**
 * What changed between two versions of a schema, field by field: fields added or removed, and
 * fields whose type, default or documentation changed; nested records by dotted path.
 */
public final class SchemaDiff {
  private SchemaDiff() {}

  /** One change; {@code before} or {@code after} is null for an added or removed field. */
  public record Change(String kind, String field, String before, String after) {}

  /** The changes that turn {@code from} into {@code to}, in field order. */
  public static List<Change> between(Schema from, Schema to) {
    List<Change> changes = new ArrayList<>();
    compare("", from, to, changes);
    return changes;
  }

  private static void compare(String path, Schema from, Schema to, List<Change> out) {
    if (from.getType() != Schema.Type.RECORD || to.getType() != Schema.Type.RECORD) {
      if (!from.equals(to))
        out.add(new Change("changed", label(path), from.toString(), to.toString()));
      return;
    }
    if (!from.getFullName().equals(to.getFullName()))
      out.add(new Change("renamed", label(path), from.getFullName(), to.getFullName()));
    for (Field f : from.getFields()) {
      Field g = to.getField(f.name());
      String name = path + f.name();
      if (g == null) out.add(new Change("removed", name, describe(f), null));
      else if (f.schema().getType() == Schema.Type.RECORD
          && g.schema().getType() == Schema.Type.RECORD)
        compare(name + ".", f.schema(), g.schema(), out);
      else if (!f.schema().equals(g.schema()) || !Objects.equals(f.defaultVal(), g.defaultVal()))
        out.add(new Change("changed", name, describe(f), describe(g)));
      else if (!Objects.equals(f.doc(), g.doc()))
        out.add(new Change("documented", name, f.doc(), g.doc()));
    }
    for (Field g : to.getFields())
      if (from.getField(g.name()) == null)
        out.add(new Change("added", path + g.name(), null, describe(g)));
  }

  private static String describe(Field f) {
    String type = f.schema().toString();
    return f.hasDefaultValue() ? type + " default " + defaultText(f) : type;
  }

  private static String defaultText(Field f) {
    Object v = f.defaultVal();
    return v == Field.NULL_DEFAULT_VALUE || v == org.apache.avro.JsonProperties.NULL_VALUE
        ? "null"
        : String.valueOf(v);
  }

  private static String label(String path) {
    return path.isEmpty() ? "(schema)" : path.substring(0, path.length() - 1);
  }
}
