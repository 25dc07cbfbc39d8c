package io.sluice.ingest.bench;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.IngestSummary;
import io.sluice.ingest.UserIngest;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.kafka.TopicFormats;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.ingest.randomuser.RandomUserClient;
import io.sluice.ingest.source.SourcePolicy;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackExtension;
import io.sluice.records.RecordFormat;
import io.sluice.records.RecordType;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Ingests users from pre-rendered API simulator pages into an embedded broker, in Avro and in JSON,
 * and measures the same pages through the {@link BarePipeline} and Kafka's own ProducerPerformance
 * against the same broker with the same acks and producer settings, all in one run. Sluice and the
 * bare pipeline take turns, a few rounds each, so that both meet the same load; each rate is the
 * median of its rounds and the ratio the median of the rounds' ratios. Prints the rates and the
 * ratios as a Markdown table and one {@code BENCH} line per format.
 *
 * <p>Usage: {@code IngestBenchmark [users, default 200000] [rounds, default 3]}.
 */
public final class IngestBenchmark {
  private static final Pattern SUMMARY =
      Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");
  private static final int PAGE = RandomUserClient.MAX_PAGE_SIZE;

  private IngestBenchmark() {}

  /**
   * The rates of one format: Sluice's ingest, the bare pipeline (medians of the rounds) and
   * ProducerPerformance, and the median of the rounds' ratios of Sluice to the bare pipeline.
   */
  private record Rates(
      double sluice,
      double bare,
      double ratioBare,
      double perf,
      double avgSize,
      long users,
      double sluiceCpu,
      double bareCpu,
      double perfCpu) {}

  public static void main(String[] args) throws Exception {
    long users = args.length > 0 ? Long.parseLong(args[0]) : 200_000L;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long warmup = Math.min(users, 50_000);
    Path dir = Files.createTempDirectory("sluice-bench-");
    SluiceConfig base = SluiceStackExtension.testConfig(dir);
    try (LocalStack stack =
            LocalStack.start(
                base, EnumSet.of(Service.KAFKA, Service.API_SIMULATOR, Service.SCHEMA_REGISTRY));
        PageCache cache = new PageCache(stack.simulatorUrl().resolve("/api/"))) {
      System.err.println("rendering the pages ...");
      for (RecordFormat f : RecordFormat.values()) {
        cache.render("warmup-" + f, warmup, PAGE);
        cache.render("bench-" + f, users, PAGE);
      }
      SluiceConfig config =
          stack
              .config()
              .with(Settings.RANDOMUSER_URL, cache.endpoint().toString())
              .with(Settings.HMAC_KEY, "benchmark-hmac-key-0123456789")
              .with(Settings.TOPIC_PARTITIONS, "3")
              // why: the rate limit spares a remote API; the page cache is in this JVM, and the
              // bare pipeline has none
              .with(Settings.SOURCE_RATE_LIMIT, "1000");
      System.err.println("warming up ...");
      for (RecordFormat f : RecordFormat.values()) {
        sluice(config, f, "warmup-" + f, warmup, 0);
        bare(config, cache, f, "warmup-" + f, warmup, 0);
      }
      Rates avro = measure(config, cache, RecordFormat.AVRO, users, rounds, dir);
      Rates json = measure(config, cache, RecordFormat.JSON, users, rounds, dir);
      System.out.println();
      System.out.println(
          "| format | sluice ingest records/s | bare pipeline records/s |"
              + " ProducerPerformance records/s | value bytes | ingest/bare | ingest/perf |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|");
      String row = "| %1$s | %3$,.0f | %4$,.0f | %5$,.0f | %6$.0f | %7$.3f | %8$.3f |%n";
      // why: one stable line per format for bench/run-all.sh
      String bench =
          "BENCH %s users=%d sluice_records_per_s=%.0f bare_records_per_s=%.0f"
              + " producer_perf_records_per_s=%.0f value_bytes=%.0f ratio_bare=%.4f ratio=%.4f"
              + " sluice_cpu_us_per_record=%.2f bare_cpu_us_per_record=%.2f"
              + " producer_perf_cpu_us_per_record=%.2f bare_vs_producer_perf_ratio=%.4f%n";
      print(row, "avro", avro);
      print(row, "json", json);
      print(bench, "avro", avro);
      print(bench, "json", json);
    }
  }

  private static Rates measure(
      SluiceConfig config, PageCache cache, RecordFormat format, long users, int rounds, Path dir)
      throws Exception {
    String seed = "bench-" + format;
    double[] sluice = new double[rounds];
    double[] bare = new double[rounds];
    double[] ratios = new double[rounds];
    // why: the JVM's CPU time per record (this JVM holds the broker and the page server too) moves
    // far less with the machine's load than the rates do
    double[] sluiceCpu = new double[rounds];
    double[] bareCpu = new double[rounds];
    long published = 0;
    for (int r = 0; r < rounds; r++) {
      System.err.printf(
          Locale.ROOT, "%s round %d: sluice ingest of %,d users ...%n", format, r + 1, users);
      long cpu = cpuNanos();
      IngestSummary s = sluice(config, format, seed, users, r);
      sluiceCpu[r] = (cpuNanos() - cpu) / 1e3 / users;
      sluice[r] = s.recordsPerSecond();
      published = s.published();
      System.err.printf(Locale.ROOT, "%s round %d: bare pipeline ...%n", format, r + 1);
      cpu = cpuNanos();
      bare[r] = bare(config, cache, format, seed, users, r);
      bareCpu[r] = (cpuNanos() - cpu) / 1e3 / users;
      ratios[r] = sluice[r] / bare[r];
      System.err.printf(
          Locale.ROOT,
          "%s round %d: sluice %,.0f, bare %,.0f records/s, ratio %.3f; CPU %.1f and %.1f us a"
              + " record (load %s)%n",
          format,
          r + 1,
          sluice[r],
          bare[r],
          ratios[r],
          sluiceCpu[r],
          bareCpu[r],
          Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
    List<byte[]> sample =
        sample(KafkaSettings.bootstrap(config), topic("bench.users", format, seed, 0), 2000);
    double avgSize = sample.stream().mapToInt(b -> b.length).average().orElse(0);
    List<String> perfArgs = new ArrayList<>();
    if (format == RecordFormat.JSON) {
      Path payloads = dir.resolve("payloads.txt");
      try (OutputStream out = Files.newOutputStream(payloads)) {
        for (byte[] b : sample) {
          out.write(b);
          out.write('\n');
        }
      }
      perfArgs.addAll(List.of("--payload-file", payloads.toString()));
    } else {
      // why: ProducerPerformance reads a payload file as UTF-8 text split at new lines, which
      // binary Avro is not; random values of the same average size stand in for them
      perfArgs.addAll(List.of("--record-size", Long.toString(Math.round(avgSize))));
    }
    String perfTopic = "bench.perf." + format;
    try (Admin admin = TopicProvisioner.admin(config)) {
      TopicProvisioner.ensure(
          admin,
          List.of(
              TopicProvisioner.dataTopic(config, perfTopic + ".warmup"),
              TopicProvisioner.dataTopic(config, perfTopic)));
    }
    List<String> props = producerProps(config);
    System.err.printf(Locale.ROOT, "%s: producer-performance ...%n", format);
    producerPerformance(perfTopic + ".warmup", Math.min(users, 200_000), perfArgs, props);
    long cpu = cpuNanos();
    double[] perf = producerPerformance(perfTopic, users, perfArgs, props);
    double perfCpu = (cpuNanos() - cpu) / 1e3 / users;
    return new Rates(
        median(sluice),
        median(bare),
        median(ratios),
        perf[1],
        avgSize,
        published,
        median(sluiceCpu),
        median(bareCpu),
        perfCpu);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Round {@code round} of Sluice's ingest: its own topic and progress, so it starts afresh. */
  private static IngestSummary sluice(
      SluiceConfig config, RecordFormat format, String seed, long users, int round) {
    return UserIngest.builder(
            config
                .with(Settings.USERS_TOPIC, topic("bench.users", format, seed, round))
                .with(Settings.PROGRESS_TOPIC, topic("bench.progress", format, seed, round)))
        .format(format)
        .count(users)
        .seed(seed)
        .build()
        .run();
  }

  private static double bare(
      SluiceConfig config, PageCache cache, RecordFormat format, String seed, long users, int round)
      throws Exception {
    String topic = topic("bench.bare", format, seed, round);
    try (Admin admin = TopicProvisioner.admin(config)) {
      TopicProvisioner.ensure(admin, List.of(TopicProvisioner.dataTopic(config, topic)));
    }
    int schemaId =
        format == RecordFormat.JSON
            ? -1
            : TopicFormats.writer(config, format, RecordType.USER, topic).schemaId();
    var client = new RandomUserClient(cache.endpoint(), SourcePolicy.defaults());
    List<URI> pages = new ArrayList<>();
    for (int page = 1; (long) (page - 1) * PAGE < users; page++)
      pages.add(client.pageUri(seed, page, PAGE, null, null));
    return new BarePipeline(KafkaSettings.transactionalProducer(config, "unused"), schemaId)
        .run(pages, topic);
  }

  private static String topic(String prefix, RecordFormat format, String seed, int round) {
    return prefix + "." + seed.toLowerCase(Locale.ROOT) + (round == 0 ? "" : "." + round);
  }

  private static void print(String template, String format, Rates r) {
    System.out.printf(
        Locale.ROOT,
        template,
        format,
        r.users(),
        r.sluice(),
        r.bare(),
        r.perf(),
        r.avgSize(),
        r.ratioBare(),
        r.sluice() / r.perf(),
        r.sluiceCpu(),
        r.bareCpu(),
        r.perfCpu(),
        r.bare() / r.perf());
  }

  /** The producer settings Sluice's ingest uses, minus the transactional id. */
  private static List<String> producerProps(SluiceConfig config) {
    Map<String, Object> p = KafkaSettings.transactionalProducer(config, "unused");
    var out = new ArrayList<String>();
    for (String key :
        List.of(
            "bootstrap.servers",
            "acks",
            "linger.ms",
            "batch.size",
            "compression.type",
            "enable.idempotence")) out.add(key + "=" + p.get(key));
    return out;
  }

  /** Runs ProducerPerformance and returns {records, records/s, MB/s} from its summary line. */
  private static double[] producerPerformance(
      String topic, long records, List<String> payload, List<String> props) throws Exception {
    var args =
        new ArrayList<>(
            List.of(
                "--topic", topic, "--num-records", Long.toString(records), "--throughput", "-1"));
    args.addAll(payload);
    args.add("--producer-props");
    args.addAll(props);
    PrintStream original = System.out;
    var captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ProducerPerformance.main(args.toArray(String[]::new));
    } finally {
      System.setOut(original);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    Matcher last = null;
    for (String line : text.split("\n")) {
      Matcher m = SUMMARY.matcher(line);
      if (m.find() && Long.parseLong(m.group(1)) == records) last = m;
    }
    if (last == null) throw new IllegalStateException("no summary line in:\n" + text);
    return new double[] {
      Double.parseDouble(last.group(1)),
      Double.parseDouble(last.group(2)),
      Double.parseDouble(last.group(3))
    };
  }

  private static List<byte[]> sample(String bootstrap, String topic, int n) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    var out = new ArrayList<byte[]>();
    try (var consumer = new KafkaConsumer<byte[], byte[]>(p)) {
      var parts = List.of(new TopicPartition(topic, 0));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < n && System.nanoTime() < deadline)
        consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
    }
    return out.subList(0, Math.min(n, out.size()));
  }
}
