package io.sluice.cli.topics;

import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.records.RecordReader;
import io.sluice.records.registry.SchemaRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice topics consume TOPIC}: each committed record on a line, as Kafka's tool does. */
@Command(
    name = "consume",
    mixinStandardHelpOptions = true,
    description = {
      "Print each record's value on a line of its own, as Kafka's console consumer does: Avro"
          + " records decoded to JSON through the schema registry, JSON records as they are."
          + " --print-key, --print-headers and --format add fields before it, tab-separated:",
      "  CreateTime:1700000000000  Partition:0  Offset:42  h1:v1,h2:v2  key  value",
      "Reads read_committed. Stops after --max records, or after --timeout seconds without a new"
          + " record. A missing topic is an error; it is not created."
    })
public final class TopicsConsumeCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "TOPIC")
  String topic;

  @Option(
      names = "--from-beginning",
      description = "Start at the oldest record (with --group: when the group has no offsets yet).")
  boolean fromBeginning;

  @Option(
      names = "--raw",
      description = "Print the value's bytes as they are (Avro: magic byte, schema id, binary).")
  boolean raw;

  @Option(names = "--max", description = "Stop after this many records.")
  Long max;

  @Option(
      names = "--timeout",
      defaultValue = "5",
      description =
          "Stop after this many seconds without a new record (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds;

  @Option(
      names = "--group",
      description = "Consumer group: offsets are committed and the next run continues after them.")
  String group;

  @Option(names = "--print-key", description = "Print each record's key.")
  boolean printKey;

  @Option(
      names = "--print-headers",
      description = "Print each record's headers as k1:v1,k2:v2 (NO_HEADERS when it has none).")
  boolean printHeaders;

  @Option(
      names = "--format",
      paramLabel = "FIELDS",
      description =
          "Fields to print before the value, comma-separated: timestamp, partition, offset,"
              + " headers, key (always in that order).")
  String format;

  @Override
  public Integer call() {
    SluiceConfig config = SluiceConfig.load();
    RecordLine lines = recordLine();
    try (Admin admin = TopicProvisioner.admin(config)) {
      Kafka.requireTopics(config, admin, List.of(topic));
    }
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    SchemaRegistry registry = Kafka.registry(config);
    long seen = 0;
    Map<TopicPartition, OffsetAndMetadata> printed = new HashMap<>();
    try (var consumer = new KafkaConsumer<byte[], byte[]>(consumerConfig(config))) {
      var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) throw new CliException("no topic " + topic);
      if (group != null) {
        consumer.subscribe(List.of(topic));
      } else {
        List<TopicPartition> parts =
            infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(parts);
        if (fromBeginning) consumer.seekToBeginning(parts);
        else consumer.seekToEnd(parts);
      }
      long idleLimit = (long) (timeoutSeconds * 1e9);
      long lastRecord = System.nanoTime();
      outer:
      while (max == null || seen < max) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          if (System.nanoTime() - lastRecord >= idleLimit) break;
          continue;
        }
        lastRecord = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          out.print(lines.prefix(r));
          if (raw && r.value() != null) out.write(r.value(), 0, r.value().length);
          else out.print(RecordReader.toText(r.value(), registry));
          out.println();
          printed.put(
              new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
          seen++;
          if (max != null && seen >= max) break outer;
        }
      }
      out.flush();
      // why: commit what was printed, not what was fetched, so --max never skips records for the
      // group
      if (group != null && !printed.isEmpty()) consumer.commitSync(printed);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new CliException(
          "Kafka at "
              + KafkaSettings.bootstrap(config)
              + " did not answer (is it running? try `sluice stack status`)");
    }
    System.err.println("Consumed " + seen + " record" + (seen == 1 ? "" : "s"));
    return 0;
  }

  private RecordLine recordLine() {
    Set<RecordLine.Field> fields;
    try {
      fields = RecordLine.Field.parse(format);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), 2);
    }
    fields = fields.isEmpty() ? EnumSet.noneOf(RecordLine.Field.class) : EnumSet.copyOf(fields);
    if (printKey) fields.add(RecordLine.Field.KEY);
    if (printHeaders) fields.add(RecordLine.Field.HEADERS);
    return new RecordLine(fields);
  }

  private Map<String, Object> consumerConfig(SluiceConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSettings.bootstrap(config));
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // why: a consumer's metadata request would otherwise create a mistyped topic on a broker
    // that allows auto-creation
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    if (group != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return p;
  }
}
