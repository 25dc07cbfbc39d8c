package io.sluice.spark;

import static io.sluice.spark.JobFixture.bytes;
import static io.sluice.spark.JobFixture.quietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.core.config.Settings;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordBuilder;
import io.sluice.records.RecordType;
import io.sluice.spark.launch.SparkJobProcess;
import io.sluice.spark.weather.DailyAggregate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

@SluiceStackTest(services = {Service.KAFKA, Service.CASSANDRA, Service.S3})
class WeatherJobIT {
  record Place(double lat, double lon, String timezone) {
    String location() {
      return io.sluice.ingest.record.Locations.format(lat, lon);
    }
  }

  private static final List<Place> PLACES =
      List.of(new Place(52.52, 13.41, "Europe/Berlin"), new Place(40.71, -74.01, "UTC"));
  private static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
  private static final int HOURS = 72;

  /** One hour of the test's weather at one place. */
  record Hour(Place place, Instant time, Double temperature, Double precipitation) {
    String key() {
      return place.location() + "," + time;
    }

    byte[] json() {
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("temperature_2m", temperature);
      values.put("precipitation", precipitation);
      return JsonRecords.encode(
          weather(RecordType.HOURLY_WEATHER, place)
              .set("time", time)
              .set("values", values)
              .set("units", Map.of("temperature_2m", "°C", "precipitation", "mm"))
              .build());
    }
  }

  /** A weather record of {@code type} at {@code p}, with the fields every weather record has. */
  static RecordBuilder weather(RecordType type, Place p) {
    return RecordBuilder.of(type)
        .set("schema_version", JsonRecords.MAX_SCHEMA_VERSION)
        .set("location", p.location())
        .set("latitude", p.lat())
        .set("longitude", p.lon())
        .set("timezone", p.timezone())
        .set("source", "open-meteo")
        .set("fetched_at", Instant.parse("2024-03-05T00:00:00Z"))
        .set("run_id", "run-w");
  }

  static Double temperature(int place, int hour) {
    return hour % 13 == 5 ? null : Math.round((place * 7 + Math.sin(hour / 3.0) * 10) * 10) / 10.0;
  }

  static Double precipitation(int place, int hour) {
    return (hour + place) % 4 == 0 ? 0.5 * (hour % 3) : 0.0;
  }

  @Test
  void storesHourlyAndDailyRowsAndAggregatesEachDayExactlyEvenWhenAnHourArrivesLate(
      LocalStack stack) throws Exception {
    try (JobFixture f = new JobFixture(stack, "weather-e2e")) {
      String hourlyTopic = f.config.get(Settings.HOURLY_DATA_TOPIC);
      List<byte[][]> records = new ArrayList<>();
      List<Hour> all = new ArrayList<>();
      Place late = PLACES.get(0);
      Instant lateTime = START.plus(Duration.ofHours(30));
      for (int p = 0; p < PLACES.size(); p++) {
        for (int h = 0; h < HOURS; h++) {
          Hour w =
              new Hour(
                  PLACES.get(p),
                  START.plus(Duration.ofHours(h)),
                  temperature(p, h),
                  precipitation(p, h));
          if (PLACES.get(p) == late && w.time().equals(lateTime)) continue;
          all.add(w);
          records.add(new byte[][] {bytes(w.key()), w.json()});
        }
      }
      f.produce(hourlyTopic, records);
      byte[] day =
          JsonRecords.encode(
              weather(RecordType.DAILY_WEATHER, late)
                  .set("date", LocalDate.parse("2024-03-01"))
                  .set("values", Map.of("temperature_2m_max", 9.5))
                  .set("units", Map.of("temperature_2m_max", "°C"))
                  .build());
      f.produce(
          f.config.get(Settings.DAILY_DATA_TOPIC),
          List.<byte[][]>of(new byte[][] {bytes(late.location() + ",2024-03-01"), day}));

      SparkJobProcess job = f.startJob("weather");
      String ks = f.config.get(Settings.CASSANDRA_KEYSPACE) + ".";
      String hourlyTable = ks + f.config.get(Settings.HOURLY_SINK_TABLE);
      String aggTable = ks + f.config.get(Settings.DAILY_AGGREGATE_TABLE);
      f.awaitJob(
          job,
          "hourly rows",
          Duration.ofSeconds(240),
          () -> quietly(() -> f.count(hourlyTable), 0L) >= all.size());
      f.awaitJob(
          job,
          "the daily row",
          Duration.ofSeconds(30),
          () -> quietly(() -> f.count(ks + f.config.get(Settings.DAILY_SINK_TABLE)), 0L) >= 1);
      Map<String, DailyAggregate> expected = reference(all);
      f.awaitJob(
          job,
          "aggregates",
          Duration.ofSeconds(30),
          () -> quietly(() -> f.count(aggTable), 0L) >= expected.size());
      assertThat(f.count(hourlyTable)).isEqualTo(all.size());
      assertAggregates(f, aggTable, expected);

      Hour lateRecord = new Hour(late, lateTime, 42.0, 3.0);
      all.add(lateRecord);
      f.produce(
          hourlyTopic,
          List.<byte[][]>of(new byte[][] {bytes(lateRecord.key()), lateRecord.json()}));
      Map<String, DailyAggregate> corrected = reference(all);
      String lateDay =
          late.location() + " " + LocalDate.ofInstant(lateTime, ZoneId.of(late.timezone()));
      f.awaitJob(
          job,
          "the late hour's day to be corrected",
          Duration.ofSeconds(120),
          () -> quietly(() -> stored(f, aggTable).get(lateDay).temperatureMax() == 42.0, false));
      assertAggregates(f, aggTable, corrected);
      assertThat(f.count(hourlyTable)).isEqualTo(all.size());

      f.awaitJob(
          job,
          "the lake",
          Duration.ofSeconds(120),
          () -> quietly(() -> f.lakeCount("weather"), 0L) >= all.size() + 1);
      assertThat(f.lakeCount("weather")).isEqualTo(all.size() + 1);
    }
  }

  private static void assertAggregates(
      JobFixture f, String table, Map<String, DailyAggregate> expected) {
    Map<String, DailyAggregate> actual = stored(f, table);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (k, e) -> {
          DailyAggregate a = actual.get(k);
          assertThat(a.hours()).as(k).isEqualTo(e.hours());
          assertThat(a.temperatureMin()).as(k).isEqualTo(e.temperatureMin());
          assertThat(a.temperatureMax()).as(k).isEqualTo(e.temperatureMax());
          assertThat(a.temperatureMean()).as(k).isCloseTo(e.temperatureMean(), within(1e-9));
          assertThat(a.precipitationSum()).as(k).isCloseTo(e.precipitationSum(), within(1e-9));
        });
  }

  private static Map<String, DailyAggregate> stored(JobFixture f, String table) {
    Map<String, DailyAggregate> out = new TreeMap<>();
    for (var r : f.cassandra.execute("SELECT * FROM " + table)) {
      out.put(
          r.getString("location") + " " + r.getLocalDate("date"),
          new DailyAggregate(
              r.getInt("hours"),
              r.get("temperature_2m_min", Double.class),
              r.get("temperature_2m_max", Double.class),
              r.get("temperature_2m_mean", Double.class),
              r.get("precipitation_sum", Double.class)));
    }
    return out;
  }

  /** The expected aggregates, computed here independently of the job: plain loops per local day. */
  private static Map<String, DailyAggregate> reference(List<Hour> hours) {
    Map<String, List<Hour>> byDay = new HashMap<>();
    for (Hour h : hours) {
      String key =
          h.place().location()
              + " "
              + LocalDate.ofInstant(h.time(), ZoneId.of(h.place().timezone()));
      byDay.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
    }
    Map<String, DailyAggregate> out = new TreeMap<>();
    byDay.forEach(
        (k, list) -> {
          double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, sum = 0, rain = 0;
          int n = 0;
          for (Hour h : list) {
            Double t = h.temperature();
            if (t != null) {
              min = Math.min(min, t);
              max = Math.max(max, t);
              sum += t;
              n++;
            }
            rain += h.precipitation();
          }
          out.put(k, new DailyAggregate(list.size(), min, max, sum / n, rain));
        });
    return out;
  }
}
