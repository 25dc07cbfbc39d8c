package io.sluice.ingest.bench;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.IngestSummary;
import io.sluice.ingest.UserIngest;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackExtension;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
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
 * Ingests users from the API simulator into an embedded broker, then drives Kafka's own
 * ProducerPerformance against the same broker with the same records, acks and producer settings,
 * and prints both rates and their ratio as a Markdown table.
 *
 * <p>Usage: {@code IngestBenchmark [users, default 1000000]}.
 */
public final class IngestBenchmark {
  private static final Pattern SUMMARY =
      Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    long users = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    Path dir = Files.createTempDirectory("sluice-bench-");
    SluiceConfig base = SluiceStackExtension.testConfig(dir);
    try (LocalStack stack =
        LocalStack.start(base, EnumSet.of(Service.KAFKA, Service.API_SIMULATOR))) {
      SluiceConfig config =
          stack
              .config()
              .with(Settings.HMAC_KEY, "benchmark-hmac-key-0123456789")
              .with(Settings.TOPIC_PARTITIONS, "3");
      String bootstrap = KafkaSettings.bootstrap(config);

      System.err.println("warming up ...");
      UserIngest.builder(config.with(Settings.USERS_TOPIC, "bench.warmup"))
          .count(Math.min(users, 100_000))
          .seed("warmup")
          .build()
          .run();

      System.err.printf(Locale.ROOT, "sluice: ingesting %,d users ...%n", users);
      SluiceConfig measured = config.with(Settings.USERS_TOPIC, "bench.users");
      IngestSummary sluice = UserIngest.builder(measured).count(users).seed("bench").build().run();
      List<byte[]> sample = sample(bootstrap, "bench.users", 2000);
      double avgSize = sample.stream().mapToInt(b -> b.length).average().orElse(0);
      Path payloads = dir.resolve("payloads.txt");
      try (OutputStream out = Files.newOutputStream(payloads)) {
        for (byte[] b : sample) {
          out.write(b);
          out.write('\n');
        }
      }

      try (Admin admin = TopicProvisioner.admin(config)) {
        TopicProvisioner.ensure(
            admin,
            List.of(
                TopicProvisioner.dataTopic(config, "bench.perf.warmup"),
                TopicProvisioner.dataTopic(config, "bench.perf")));
      }
      List<String> props = producerProps(config);
      System.err.println("producer-performance: warming up ...");
      producerPerformance("bench.perf.warmup", Math.min(users, 200_000), payloads, props);
      System.err.printf(Locale.ROOT, "producer-performance: %,d records ...%n", users);
      double[] perf = producerPerformance("bench.perf", users, payloads, props);

      double sluiceRate = sluice.recordsPerSecond();
      double sluiceMb = sluiceRate * avgSize / (1024 * 1024);
      System.out.println();
      System.out.println("| run | records | records/s | MB/s |");
      System.out.println("|---|---:|---:|---:|");
      System.out.printf(
          Locale.ROOT,
          "| sluice ingest users (HTTP + parse + HMAC + transactions) | %,d | %,.0f | %.1f |%n",
          sluice.published(),
          sluiceRate,
          sluiceMb);
      System.out.printf(
          Locale.ROOT,
          "| kafka ProducerPerformance (same records, acks=all) | %,d | %,.0f | %.1f |%n",
          (long) perf[0],
          perf[1],
          perf[2]);
      System.out.printf(
          Locale.ROOT, "%nratio sluice / ProducerPerformance: %.2f%n", sluiceRate / perf[1]);
      System.out.printf(
          Locale.ROOT,
          "average value size %.0f bytes, %d pages, %.1f s, %d retries%n",
          avgSize,
          (sluice.fetched() + 4999) / 5000,
          sluice.duration().toMillis() / 1000.0,
          sluice.retries());
      // why: one stable line for bench/run-all.sh
      System.out.printf(
          Locale.ROOT,
          "BENCH users=%d sluice_records_per_s=%.0f producer_perf_records_per_s=%.0f ratio=%.4f%n",
          sluice.published(),
          sluiceRate,
          perf[1],
          sluiceRate / perf[1]);
    }
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
      String topic, long records, Path payloads, List<String> props) throws Exception {
    var args =
        new ArrayList<>(
            List.of(
                "--topic",
                topic,
                "--num-records",
                Long.toString(records),
                "--payload-file",
                payloads.toString(),
                "--throughput",
                "-1",
                "--producer-props"));
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
