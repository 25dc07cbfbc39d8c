package io.sluice.ingest.bench;

import io.sluice.ingest.WeatherIngest;
import io.sluice.ingest.openmeteo.OpenMeteoClient;
import io.sluice.ingest.openmeteo.OpenMeteoParser;
import io.sluice.ingest.openmeteo.ParsedWeather;
import io.sluice.ingest.source.SourcePolicy;
import io.sluice.local.simulator.ApiSimulator;
import io.sluice.records.RecordEncoder;
import io.sluice.records.RecordType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.avro.generic.GenericRecord;

/**
 * The CPU time per weather row of decoding Open-Meteo answers and encoding their records as
 * Confluent-framed Avro, what {@link WeatherIngest} does with each answer between the fetch and the
 * producer. The answer is rendered once by the API simulator (50 locations, 92 days of the default
 * hourly and daily variables, in {@code Europe/Berlin} and in {@code GMT}) and decoded again and
 * again on one thread. Prints each round's microseconds of the thread's CPU per row and one {@code
 * BENCH} line with their medians.
 *
 * <p>Usage: {@code WeatherParseBenchmark [rounds, default 7] [decodes per round, default 10]}.
 */
public final class WeatherParseBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private WeatherParseBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int decodes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    var locations = new ArrayList<double[]>();
    for (int i = 0; i < 50; i++) locations.add(new double[] {40 + i * 0.25, -5 + i * 0.5});
    LocalDate from = LocalDate.parse("2024-01-01");
    LocalDate to = from.plusDays(91);
    List<String> zones = List.of("Europe/Berlin", "GMT");
    List<byte[]> bodies = new ArrayList<>();
    try (ApiSimulator sim = ApiSimulator.start(new InetSocketAddress("127.0.0.1", 0))) {
      var archive = URI.create(sim.baseUri() + "/v1/archive");
      var client = new OpenMeteoClient(archive, SourcePolicy.defaults(), Clock.systemUTC());
      HttpClient http = HttpClient.newHttpClient();
      for (String zone : zones) {
        URI uri =
            client.uri(
                locations,
                WeatherIngest.DEFAULT_HOURLY,
                WeatherIngest.DEFAULT_DAILY,
                zone,
                from,
                to);
        HttpResponse<byte[]> r =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException("simulator: " + r.statusCode());
        bodies.add(r.body());
      }
    }
    var parser = new OpenMeteoParser("bench", locations);
    var hourly = RecordEncoder.of(RecordType.HOURLY_WEATHER.schema());
    var daily = RecordEncoder.of(RecordType.DAILY_WEATHER.schema());
    for (int w = 0; w < 3; w++) decode(bodies, parser, hourly, daily, decodes, new Totals());
    double[] perRow = new double[rounds];
    double[] decodePerRow = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      var t = new Totals();
      long cpu = THREADS.getCurrentThreadCpuTime();
      decode(bodies, parser, hourly, daily, decodes, t);
      perRow[r] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1000.0 / t.rows;
      decodePerRow[r] = t.decodeNanos / 1000.0 / t.rows;
      System.out.printf(
          Locale.ROOT,
          "round %d: %,d rows, %.3f us of CPU per row (decoding %.3f), load %s%n",
          r + 1,
          t.rows,
          perRow[r],
          decodePerRow[r],
          load());
    }
    System.out.printf(
        Locale.ROOT,
        "BENCH weather_decode_encode_cpu_us_per_row=%.3f min=%.3f max=%.3f"
            + " decode_cpu_us_per_row=%.3f rounds=%d bytes=%d%n",
        median(perRow),
        Arrays.stream(perRow).min().orElse(0),
        Arrays.stream(perRow).max().orElse(0),
        median(decodePerRow),
        rounds,
        bodies.stream().mapToInt(b -> b.length).sum());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** What a round did: its rows, and the CPU time its decoding took apart from the encoding. */
  private static final class Totals {
    long rows;
    long decodeNanos;
  }

  /** Decodes every answer {@code times} times and encodes its records. */
  private static void decode(
      List<byte[]> bodies,
      OpenMeteoParser parser,
      RecordEncoder hourly,
      RecordEncoder daily,
      int times,
      Totals totals) {
    long rows = 0;
    long bytes = 0;
    for (int i = 0; i < times; i++) {
      for (byte[] body : bodies) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        ParsedWeather w = parser.parse(body, Instant.now());
        totals.decodeNanos += THREADS.getCurrentThreadCpuTime() - cpu;
        if (!w.invalid().isEmpty()) throw new IllegalStateException(w.invalid().get(0).error());
        for (ParsedWeather.Keyed k : w.hourly()) bytes += encode(hourly, k.record()).length;
        for (ParsedWeather.Keyed k : w.daily()) bytes += encode(daily, k.record()).length;
        rows += w.hourly().size() + w.daily().size();
      }
    }
    if (bytes == 0) throw new IllegalStateException("nothing encoded");
    totals.rows += rows;
  }

  /** What the ingest's writer does with a record of the current schema. */
  private static byte[] encode(RecordEncoder encoder, GenericRecord record) {
    Object[] values = new Object[record.getSchema().getFields().size()];
    for (int i = 0; i < values.length; i++) values[i] = record.get(i);
    return encoder.avro(1, values);
  }

  private static String load() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }
}
