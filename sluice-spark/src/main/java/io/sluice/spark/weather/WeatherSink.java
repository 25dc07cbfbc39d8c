package io.sluice.spark.weather;

import static org.apache.spark.sql.functions.col;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import io.sluice.records.RecordType;
import io.sluice.spark.JobCounters;
import io.sluice.spark.JobSettings;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.StreamJob;
import io.sluice.spark.sink.AsyncWriter;
import io.sluice.spark.sink.CassandraSchema;
import io.sluice.spark.sink.CassandraSessions;
import io.sluice.spark.sink.CassandraTable;
import io.sluice.spark.sink.DeadLetters;
import io.sluice.spark.sink.DeadLetters.Stage;
import io.sluice.spark.sink.RetryingReads;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The {@code foreachBatch} of the weather job. It upserts hourly rows by {@code (location, time)}
 * and daily rows by {@code (location, date)}, sends bad records to the dead-letter topic, then
 * recomputes the daily aggregate of every (location, local date) the batch touched from the stored
 * hourly rows. Recomputing from the table, rather than keeping window state with a watermark, makes
 * the aggregate exact however late an hourly record arrives, and a replayed batch idempotent.
 */
public final class WeatherSink implements VoidFunction2<Dataset<org.apache.spark.sql.Row>, Long> {
  private static final String LOCAL_DATE = "local_date";

  private final JobSettings settings;
  private final JobCounters counters;
  // why: only the driver's copy waits for it; the executors' copies are past that wait
  private final transient CompletableFuture<Void> tablesCreated;

  /**
   * A sink that writes once {@code tablesCreated} (the job's {@link StreamJob#provisionSink()}) has
   * completed.
   */
  public WeatherSink(
      JobSettings settings, JobCounters counters, CompletableFuture<Void> tablesCreated) {
    this.settings = settings;
    this.counters = counters;
    this.tablesCreated = tablesCreated;
  }

  private static String ks(JobSettings s) {
    return CassandraSchema.identifier(s.weatherKeyspace()) + ".";
  }

  /** The hourly table: the hourly weather schema's fields and the local date, by time. */
  static CassandraTable hourlyTable(JobSettings s) {
    return CassandraTable.of(
        s.weatherKeyspace(),
        s.hourlyTable(),
        RecordType.HOURLY_WEATHER.schema(),
        "(location), time",
        Map.of(LOCAL_DATE, "date"));
  }

  /** The daily table: the daily weather schema's fields, by date. */
  static CassandraTable dailyTable(JobSettings s) {
    return CassandraTable.of(
        s.weatherKeyspace(),
        s.dailyTable(),
        RecordType.DAILY_WEATHER.schema(),
        "(location), date",
        Map.of());
  }

  /** The aggregate table: the daily aggregate schema's fields, by date. */
  static CassandraTable aggregateTable(JobSettings s) {
    return CassandraTable.of(
        s.weatherKeyspace(),
        s.dailyAggregateTable(),
        RecordType.DAILY_AGGREGATE.schema(),
        "(location), date",
        Map.of());
  }

  /** Creates the keyspace and the tables, and adds the columns newer schemas bring. */
  public static void createTables(CqlSession session, JobSettings s) {
    CassandraSchema.createKeyspace(session, s.weatherKeyspace(), s.replication());
    hourlyTable(s).createOrEvolve(session);
    dailyTable(s).createOrEvolve(session);
    aggregateTable(s).createOrEvolve(session);
  }

  @Override
  public void call(Dataset<org.apache.spark.sql.Row> batch, Long batchId) {
    StreamJob.await(tablesCreated);
    Dataset<org.apache.spark.sql.Row> cached = batch.persist();
    try {
      cached.foreachPartition(
          (ForeachPartitionFunction<org.apache.spark.sql.Row>) this::writePartition);
      List<org.apache.spark.sql.Row> days =
          cached
              .where(col("error_stage").isNull().and(col("kind").equalTo(WeatherRows.HOURLY)))
              .select("location", "date", "timezone")
              .distinct()
              .collectAsList();
      recompute(days);
    } finally {
      cached.unpersist();
    }
  }

  private void writePartition(Iterator<org.apache.spark.sql.Row> rows) {
    if (!rows.hasNext()) return;
    CqlSession session = CassandraSessions.get(settings);
    CassandraTable hourlyTable = hourlyTable(settings);
    CassandraTable dailyTable = dailyTable(settings);
    PreparedStatement hourly = RetryingReads.prepare(session, hourlyTable.insertCql());
    PreparedStatement daily = RetryingReads.prepare(session, dailyTable.insertCql());
    DeadLetters dlq = new DeadLetters(settings.kafkaBootstrap(), settings.dlqTopic());
    long[] rejected = new long[2];
    AsyncWriter<org.apache.spark.sql.Row> writer =
        new AsyncWriter<>(
            session,
            settings.maxInFlight(),
            (row, error) -> {
              rejected[WeatherRows.HOURLY.equals(row.getString(WeatherRows.KIND)) ? 0 : 1]++;
              deadLetter(dlq, row, Stage.SINK, error.toString());
            });
    long hours = 0;
    long days = 0;
    while (rows.hasNext()) {
      org.apache.spark.sql.Row r = rows.next();
      if (!r.isNullAt(WeatherRows.ERROR_STAGE)) {
        deadLetter(
            dlq,
            r,
            Stage.valueOf(r.getString(WeatherRows.ERROR_STAGE).toUpperCase(Locale.ROOT)),
            r.getString(WeatherRows.ERROR));
      } else if (WeatherRows.HOURLY.equals(r.getString(WeatherRows.KIND))) {
        hours++;
        writer.write(r, bind(hourly, hourlyTable, column -> field(r, column)));
      } else {
        days++;
        writer.write(r, bind(daily, dailyTable, column -> field(r, column)));
      }
    }
    writer.flush();
    long dead = dlq.flush();
    counters.add(settings.hourlyTable(), hours - rejected[0]);
    counters.add(settings.dailyTable(), days - rejected[1]);
    counters.add(JobCounters.DEAD_LETTERS, dead);
  }

  /** Recomputes and upserts the aggregate of each (location, local date) from the hourly table. */
  private void recompute(List<org.apache.spark.sql.Row> days) {
    if (days.isEmpty()) return;
    CqlSession session = CassandraSessions.get(settings);
    PreparedStatement select =
        RetryingReads.prepare(
            session,
            "SELECT values FROM "
                + ks(settings)
                + settings.hourlyTable()
                + " WHERE location = ? AND time >= ? AND time < ?");
    CassandraTable aggregates = aggregateTable(settings);
    PreparedStatement upsert = RetryingReads.prepare(session, aggregates.insertCql());
    AsyncWriter<String> writer =
        new AsyncWriter<>(
            session,
            settings.maxInFlight(),
            (day, error) -> {
              throw new IllegalStateException("cannot store the aggregate of " + day, error);
            });
    for (org.apache.spark.sql.Row day : days) {
      String location = day.getString(0);
      LocalDate date = (LocalDate) day.get(1);
      ZoneId zone = ZoneId.of(day.getString(2));
      Instant from = date.atStartOfDay(zone).toInstant();
      Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
      DailyAggregate agg = aggregate(session, select, location, from, to);
      Map<String, Object> row = new HashMap<>();
      row.put("location", location);
      row.put("date", date);
      row.put("timezone", zone.getId());
      row.put("hours", agg.hours());
      row.put("temperature_2m_min", agg.temperatureMin());
      row.put("temperature_2m_max", agg.temperatureMax());
      row.put("temperature_2m_mean", agg.temperatureMean());
      row.put("precipitation_sum", agg.precipitationSum());
      writer.write(location + " " + date, bind(upsert, aggregates, row::get));
    }
    long written = writer.flush();
    counters.add(settings.dailyAggregateTable(), written);
  }

  private static DailyAggregate aggregate(
      CqlSession session, PreparedStatement select, String location, Instant from, Instant to) {
    var builder = new DailyAggregate.Builder();
    for (Row r : RetryingReads.readAll(session, select.bind(location, from, to))) {
      Map<String, Double> values = r.getMap("values", String.class, Double.class);
      if (values == null) values = Map.of();
      builder.add(values.get("temperature_2m"), values.get("precipitation"));
    }
    return builder.build();
  }

  /** {@code insert} of {@code table}, each column bound by name to {@code valueOf(column)}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static BoundStatement bind(
      PreparedStatement insert, CassandraTable table, Function<String, Object> valueOf) {
    BoundStatementBuilder b = insert.boundStatementBuilder();
    var variables = insert.getVariableDefinitions();
    for (String column : table.columns().keySet()) {
      Object value = driverValue(valueOf.apply(column), table.columns().get(column));
      if (value == null) {
        b = b.setToNull(column);
        continue;
      }
      TypeCodec codec = CodecRegistry.DEFAULT.codecFor(variables.get(column).getType());
      b = b.set(column, value, codec);
    }
    return b.build();
  }

  /**
   * The value of {@code column} in a weather row: the local date of an hour is its {@code date}.
   */
  private static Object field(org.apache.spark.sql.Row r, String column) {
    String name = column.equals(LOCAL_DATE) ? "date" : column;
    return r.schema().getFieldIndex(name).isDefined() ? r.getAs(name) : null;
  }

  /**
   * A row's value as the driver takes it for a column of {@code cqlType}: a timestamp as an
   * instant, a map without its null values (CQL has none).
   */
  private static Object driverValue(Object v, String cqlType) {
    if (v == null) return null;
    if (cqlType.equals("timestamp")) return KafkaInput.instant(v);
    if (v instanceof scala.collection.Map<?, ?> m) {
      Map<Object, Object> out = new HashMap<>();
      CollectionConverters.asJava(m)
          .forEach(
              (k, x) -> {
                if (x != null) out.put(k, x);
              });
      return out;
    }
    return v;
  }

  private static void deadLetter(
      DeadLetters dlq, org.apache.spark.sql.Row row, Stage stage, String error) {
    dlq.send(
        stage,
        error,
        row.getString(WeatherRows.KAFKA_TOPIC),
        row.getInt(WeatherRows.KAFKA_PARTITION),
        row.getLong(WeatherRows.KAFKA_OFFSET),
        (byte[]) row.get(WeatherRows.RAW_KEY),
        (byte[]) row.get(WeatherRows.RAW_VALUE));
  }
}
