package io.sluice.spark.weather;

import static org.apache.spark.sql.functions.col;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.sluice.spark.JobCounters;
import io.sluice.spark.JobSettings;
import io.sluice.spark.KafkaInput;
import io.sluice.spark.sink.AsyncWriter;
import io.sluice.spark.sink.CassandraSchema;
import io.sluice.spark.sink.CassandraSessions;
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
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;

/**
 * The {@code foreachBatch} of the weather job. It upserts hourly rows by {@code (location, time)}
 * and daily rows by {@code (location, date)}, sends bad records to the dead-letter topic, then
 * recomputes the daily aggregate of every (location, local date) the batch touched from the stored
 * hourly rows. Recomputing from the table, rather than keeping window state with a watermark, makes
 * the aggregate exact however late an hourly record arrives, and a replayed batch idempotent.
 */
public final class WeatherSink implements VoidFunction2<Dataset<org.apache.spark.sql.Row>, Long> {
  private final JobSettings settings;
  private final JobCounters counters;

  public WeatherSink(JobSettings settings, JobCounters counters) {
    this.settings = settings;
    this.counters = counters;
  }

  private static String ks(JobSettings s) {
    return CassandraSchema.identifier(s.weatherKeyspace()) + ".";
  }

  public static void createTables(CqlSession session, JobSettings s) {
    CassandraSchema.createKeyspace(session, s.weatherKeyspace(), s.replication());
    CassandraSchema.execute(
        session,
        "CREATE TABLE IF NOT EXISTS "
            + ks(s)
            + CassandraSchema.identifier(s.hourlyTable())
            + " (location text, time timestamp, latitude double, longitude double, timezone text,"
            + " local_date date, values map<text, double>, units map<text, text>, source text,"
            + " fetched_at timestamp, run_id text, PRIMARY KEY ((location), time))");
    CassandraSchema.execute(
        session,
        "CREATE TABLE IF NOT EXISTS "
            + ks(s)
            + CassandraSchema.identifier(s.dailyTable())
            + " (location text, date date, latitude double, longitude double, timezone text,"
            + " values map<text, double>, units map<text, text>, source text,"
            + " fetched_at timestamp, run_id text, PRIMARY KEY ((location), date))");
    CassandraSchema.execute(
        session,
        "CREATE TABLE IF NOT EXISTS "
            + ks(s)
            + CassandraSchema.identifier(s.dailyAggregateTable())
            + " (location text, date date, timezone text, hours int, temperature_2m_min double,"
            + " temperature_2m_max double, temperature_2m_mean double, precipitation_sum double,"
            + " PRIMARY KEY ((location), date))");
  }

  @Override
  public void call(Dataset<org.apache.spark.sql.Row> batch, Long batchId) {
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
    PreparedStatement hourly =
        RetryingReads.prepare(
            session,
            "INSERT INTO "
                + ks(settings)
                + settings.hourlyTable()
                + " (location, time, latitude, longitude, timezone, local_date, values, units,"
                + " source, fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    PreparedStatement daily =
        RetryingReads.prepare(
            session,
            "INSERT INTO "
                + ks(settings)
                + settings.dailyTable()
                + " (location, date, latitude, longitude, timezone, values, units, source,"
                + " fetched_at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
        writer.write(
            r,
            hourly.bind(
                r.getString(WeatherRows.LOCATION),
                KafkaInput.instant(r.get(WeatherRows.TIME)),
                r.getDouble(WeatherRows.LATITUDE),
                r.getDouble(WeatherRows.LONGITUDE),
                r.getString(WeatherRows.TIMEZONE),
                (LocalDate) r.get(WeatherRows.DATE),
                nonNullValues(r.getJavaMap(WeatherRows.VALUES)),
                r.<String, String>getJavaMap(WeatherRows.UNITS),
                r.getString(WeatherRows.SOURCE),
                KafkaInput.instant(r.get(WeatherRows.FETCHED_AT)),
                r.getString(WeatherRows.RUN_ID)));
      } else {
        days++;
        writer.write(
            r,
            daily.bind(
                r.getString(WeatherRows.LOCATION),
                (LocalDate) r.get(WeatherRows.DATE),
                r.getDouble(WeatherRows.LATITUDE),
                r.getDouble(WeatherRows.LONGITUDE),
                r.getString(WeatherRows.TIMEZONE),
                nonNullValues(r.getJavaMap(WeatherRows.VALUES)),
                r.<String, String>getJavaMap(WeatherRows.UNITS),
                r.getString(WeatherRows.SOURCE),
                KafkaInput.instant(r.get(WeatherRows.FETCHED_AT)),
                r.getString(WeatherRows.RUN_ID)));
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
    PreparedStatement upsert =
        RetryingReads.prepare(
            session,
            "INSERT INTO "
                + ks(settings)
                + settings.dailyAggregateTable()
                + " (location, date, timezone, hours, temperature_2m_min, temperature_2m_max,"
                + " temperature_2m_mean, precipitation_sum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
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
      writer.write(
          location + " " + date,
          upsert.bind(
              location,
              date,
              zone.getId(),
              agg.hours(),
              agg.temperatureMin(),
              agg.temperatureMax(),
              agg.temperatureMean(),
              agg.precipitationSum()));
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

  private static Map<String, Double> nonNullValues(Map<String, Double> values) {
    Map<String, Double> out = new HashMap<>();
    if (values != null)
      values.forEach(
          (k, v) -> {
            if (v != null) out.put(k, v);
          });
    return out;
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
