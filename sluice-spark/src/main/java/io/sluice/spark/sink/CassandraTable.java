package io.sluice.spark.sink;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cassandra table derived from an Avro record schema: one column per field, its CQL type from the
 * Avro type. {@link #createOrEvolve} creates it when missing and adds, by {@code ALTER TABLE ...
 * ADD}, the columns a newer schema brings; {@link #binder} binds its records to the insert.
 */
public final class CassandraTable implements Serializable {
  private static final Logger log = LoggerFactory.getLogger(CassandraTable.class);

  private final String keyspace;
  private final String table;
  private final String primaryKey;
  private final LinkedHashMap<String, String> columns;

  private CassandraTable(
      String keyspace, String table, String primaryKey, LinkedHashMap<String, String> columns) {
    this.keyspace = CassandraSchema.identifier(keyspace);
    this.table = CassandraSchema.identifier(table);
    this.primaryKey = primaryKey;
    this.columns = columns;
  }

  /**
   * The table of {@code schema}'s fields, plus {@code extra} columns (name to CQL type) the job
   * derives; {@code primaryKey} as CQL writes it, e.g. {@code id} or {@code (location), time}.
   */
  public static CassandraTable of(
      String keyspace, String table, Schema schema, String primaryKey, Map<String, String> extra) {
    LinkedHashMap<String, String> columns = new LinkedHashMap<>();
    for (Schema.Field f : schema.getFields())
      columns.put(CassandraSchema.identifier(f.name()), cqlType(f.schema()));
    columns.putAll(extra);
    return new CassandraTable(keyspace, table, primaryKey, columns);
  }

  /** {@code keyspace.table}. */
  public String name() {
    return keyspace + "." + table;
  }

  /** The columns in schema order, each with its CQL type. */
  public Map<String, String> columns() {
    return java.util.Collections.unmodifiableMap(columns);
  }

  /** The CQL type of an Avro type: a nullable union is its other branch. */
  static String cqlType(Schema s) {
    LogicalType logical = s.getLogicalType();
    String l = logical == null ? "" : logical.getName();
    return switch (s.getType()) {
      case UNION -> cqlType(nonNull(s));
      case STRING -> l.equals("uuid") ? "uuid" : "text";
      case INT -> l.equals("date") ? "date" : "int";
      case LONG -> l.startsWith("timestamp-") ? "timestamp" : "bigint";
      case DOUBLE -> "double";
      case FLOAT -> "float";
      case BOOLEAN -> "boolean";
      case BYTES -> "blob";
      case ENUM -> "text";
      case MAP -> "map<text, " + cqlType(s.getValueType()) + ">";
      case ARRAY -> "list<" + cqlType(s.getElementType()) + ">";
      default -> throw new IllegalArgumentException("no CQL type for Avro " + s);
    };
  }

  private static Schema nonNull(Schema union) {
    for (Schema branch : union.getTypes()) if (branch.getType() != Schema.Type.NULL) return branch;
    throw new IllegalArgumentException("a union of null alone: " + union);
  }

  /** {@code CREATE TABLE IF NOT EXISTS}, then {@code ALTER TABLE ADD} for each missing column. */
  public void createOrEvolve(CqlSession session) {
    List<String> defs = new ArrayList<>();
    columns.forEach((name, type) -> defs.add(name + " " + type));
    CassandraSchema.execute(
        session,
        "CREATE TABLE IF NOT EXISTS "
            + name()
            + " ("
            + String.join(", ", defs)
            + ", PRIMARY KEY ("
            + primaryKey
            + "))");
    Set<String> present = new HashSet<>();
    for (var row :
        RetryingReads.readAll(
            session,
            SimpleStatement.newInstance(
                "SELECT column_name FROM system_schema.columns"
                    + " WHERE keyspace_name = ? AND table_name = ?",
                keyspace,
                table))) present.add(row.getString("column_name"));
    for (Map.Entry<String, String> c : columns.entrySet()) {
      if (present.contains(c.getKey())) continue;
      log.info("adding column {} {} to {}", c.getKey(), c.getValue(), name());
      try {
        CassandraSchema.execute(
            session, "ALTER TABLE " + name() + " ADD " + c.getKey() + " " + c.getValue());
      } catch (InvalidQueryException e) {
        // why: another job or executor may have added it between our read and this ALTER
        if (!String.valueOf(e.getMessage()).contains("already exist")) throw e;
      }
    }
  }

  /** {@code INSERT INTO table (a, b, ...) VALUES (:a, :b, ...)}. */
  public String insertCql() {
    List<String> names = new ArrayList<>(columns.keySet());
    List<String> markers = new ArrayList<>();
    for (String n : names) markers.add(":" + n);
    return "INSERT INTO "
        + name()
        + " ("
        + String.join(", ", names)
        + ") VALUES ("
        + String.join(", ", markers)
        + ")";
  }

  /**
   * A binder of {@code insert} ({@link #insertCql}) for records of {@code schema}, the schema this
   * table was derived from: {@link Binder#bind} binds a record's fields by position, each column's
   * variable index, codec and value conversion resolved once here rather than by name per row.
   */
  public Binder binder(PreparedStatement insert, Schema schema) {
    return new Binder(insert, schema);
  }

  /** Binds records of one schema to one prepared insert. Thread-safe. */
  public static final class Binder {
    private final PreparedStatement insert;
    private final int[] index;
    private final TypeCodec<Object>[] codecs;
    private final Schema[] types;

    @SuppressWarnings("unchecked")
    private Binder(PreparedStatement insert, Schema schema) {
      this.insert = insert;
      List<Schema.Field> fields = schema.getFields();
      this.index = new int[fields.size()];
      this.codecs = new TypeCodec[fields.size()];
      this.types = new Schema[fields.size()];
      var variables = insert.getVariableDefinitions();
      for (Schema.Field f : fields) {
        int i = variables.firstIndexOf(CassandraSchema.identifier(f.name()));
        if (i < 0) throw new IllegalArgumentException("no column " + f.name() + " in the insert");
        index[f.pos()] = i;
        codecs[f.pos()] =
            (TypeCodec<Object>)
                (TypeCodec<?>)
                    com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry.DEFAULT
                        .codecFor(variables.get(i).getType());
        types[f.pos()] = f.schema();
      }
    }

    /**
     * {@code record}'s fields bound to the insert, an idempotent upsert; its null fields bound to
     * null.
     */
    public BoundStatement bind(GenericRecord record) {
      BoundStatementBuilder b = insert.boundStatementBuilder().setIdempotence(true);
      for (int f = 0; f < index.length; f++) {
        Object v = record.get(f);
        if (v == null) b = b.setToNull(index[f]);
        else b = b.set(index[f], driverValue(v, types[f]), codecs[f]);
      }
      return b.build();
    }
  }

  /** An Avro generic value of {@code schema} as the Java value the driver's codec takes. */
  static Object driverValue(Object v, Schema schema) {
    if (v == null) return null;
    LogicalType logical = schema.getLogicalType();
    String l = logical == null ? "" : logical.getName();
    return switch (schema.getType()) {
      case UNION -> driverValue(v, nonNull(schema));
      case STRING -> l.equals("uuid") ? UUID.fromString(v.toString()) : v.toString();
      case ENUM -> v.toString();
      case INT -> l.equals("date") ? LocalDate.ofEpochDay((Integer) v) : v;
      case LONG ->
          l.equals("timestamp-millis")
              ? Instant.ofEpochMilli((Long) v)
              : l.equals("timestamp-micros") ? Instant.EPOCH.plusNanos((Long) v * 1000) : v;
      case MAP -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet())
          m.put(e.getKey().toString(), driverValue(e.getValue(), schema.getValueType()));
        yield m;
      }
      case ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (Object item : (Iterable<?>) v) list.add(driverValue(item, schema.getElementType()));
        yield list;
      }
      default -> v;
    };
  }
}
